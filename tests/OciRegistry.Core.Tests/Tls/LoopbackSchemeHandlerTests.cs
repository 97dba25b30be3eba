using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Tests.Support;
using OciRegistry.Core.Tls;

namespace OciRegistry.Core.Tests.Tls;

public sealed class LoopbackSchemeHandlerTests
{
    private sealed class Scripted(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }

    private static async Task<string> SchemeOfNextRequestAsync(LoopbackSchemeHandler handler, string url)
    {
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), CancellationToken.None);
        return response.RequestMessage!.RequestUri!.Scheme;
    }

    [Fact]
    public async Task AnEndpointKnownToSpeakTls_StaysOnTls_WhenALaterProbeIsInconclusive()
    {
        var port = 40000 + Random.Shared.Next(20000);
        var url = $"http://127.0.0.1:{port}/v2/a/b/manifests/1";
        var time = new ManualTimeProvider();
        var probeAnswers = 0;
        using var probe = new HttpMessageInvoker(new Scripted(_ => ++probeAnswers == 1
            ? new HttpResponseMessage(HttpStatusCode.Unauthorized)
            : throw new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused))));
        using var handler = new LoopbackSchemeHandler(probe, time) { InnerHandler = new Scripted(r => new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = r }) };

        Assert.Equal("https", await SchemeOfNextRequestAsync(handler, url));
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal("https", await SchemeOfNextRequestAsync(handler, url));
        Assert.Equal(2, probeAnswers);
    }

    [Fact]
    public async Task AnEndpointThatAnswersWithoutTls_GetsHttp_AndNothingUnknownIsUpgraded()
    {
        var port = 40000 + Random.Shared.Next(20000);
        using var probe = new HttpMessageInvoker(new Scripted(_ => throw new HttpRequestException("ssl", new IOException("not a TLS record"))));
        using var handler = new LoopbackSchemeHandler(probe, new ManualTimeProvider()) { InnerHandler = new Scripted(r => new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = r }) };

        Assert.Equal("http", await SchemeOfNextRequestAsync(handler, $"http://127.0.0.1:{port}/v2/"));
        Assert.Equal("https", await SchemeOfNextRequestAsync(handler, $"https://registry.example/v2/"));
    }

    [Fact]
    public async Task WhatOneClientLearnt_DoesNotDecideForTheNext_AsThePortMayBeAnotherServersNow()
    {
        var url = $"http://127.0.0.1:{40000 + Random.Shared.Next(20000)}/v2/";
        using var plainProbe = new HttpMessageInvoker(new Scripted(_ => throw new HttpRequestException("ssl", new IOException("not a TLS record"))));
        using var tlsProbe = new HttpMessageInvoker(new Scripted(_ => new HttpResponseMessage(HttpStatusCode.Unauthorized)));
        using var before = new LoopbackSchemeHandler(plainProbe, new ManualTimeProvider()) { InnerHandler = new Scripted(r => new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = r }) };
        using var after = new LoopbackSchemeHandler(tlsProbe, new ManualTimeProvider()) { InnerHandler = new Scripted(r => new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = r }) };

        Assert.Equal("http", await SchemeOfNextRequestAsync(before, url));
        Assert.Equal("https", await SchemeOfNextRequestAsync(after, url));
    }
}
