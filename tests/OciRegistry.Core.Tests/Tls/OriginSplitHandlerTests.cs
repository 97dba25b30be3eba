using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Tls;

namespace OciRegistry.Core.Tests.Tls;

public sealed class OriginSplitHandlerTests
{
    private sealed class Named(string name) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { ReasonPhrase = name, RequestMessage = request });
    }

    [Theory]
    [InlineData("https://registry.corp:5000/v2/", "registry")]
    [InlineData("http://REGISTRY.corp:5000/v2/a/b/blobs/x", "registry")]
    [InlineData("https://registry.corp/v2/", "other")]
    [InlineData("https://registry.corp:5001/v2/", "other")]
    [InlineData("https://storage.corp:5000/blob?sig=x", "other")]
    [InlineData("https://auth.corp/token", "other")]
    public async Task SendAsync_OnlyTheRegistrysHostAndPort_GoThroughTheHandlerWithTheClientCertificate(string url, string expected)
    {
        using var split = new OriginSplitHandler(new Uri("https://registry.corp:5000/"), new Named("registry"), new Named("other"));
        using var invoker = new HttpMessageInvoker(split);

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), CancellationToken.None);

        Assert.Equal(expected, response.ReasonPhrase);
    }

    [Theory]
    [InlineData("mirror.corp:5000", "mirror.corp:5000", "", null)]
    [InlineData("https://mirror.gcr.io/", "mirror.gcr.io", "", RegistryScheme.Https)]
    [InlineData("http://localhost:5001", "localhost:5001", "", RegistryScheme.Http)]
    [InlineData("mirror.corp/docker-hub/library", "mirror.corp", "docker-hub/library", null)]
    public void MirrorEndpoint_TryParse_TakesWhatConfigurationsWrite(string text, string registry, string space, RegistryScheme? scheme)
    {
        Assert.True(MirrorEndpoint.TryParse(text, out var endpoint, out _));
        Assert.Equal(registry, endpoint!.Registry);
        Assert.Equal(space, endpoint.Namespace);
        Assert.Equal(scheme, endpoint.Scheme);
    }

    [Theory]
    [InlineData("https://user:secret@mirror.corp")]
    [InlineData("mirror.corp?x=1")]
    [InlineData("mirror.corp/../../etc")]
    [InlineData("ftp://mirror.corp")]
    [InlineData("https://..")]
    [InlineData("mirror\\corp")]
    [InlineData("")]
    public void MirrorEndpoint_TryParse_RefusesAnythingButAnOriginAndANamespace_WithoutEchoingIt(string text)
    {
        Assert.False(MirrorEndpoint.TryParse(text, out _, out var problem));
        Assert.DoesNotContain("secret", problem, StringComparison.Ordinal);
    }
}
