using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Client;
using OciRegistry.Core.Transfer;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.Push;

/// <summary>An empty, writable test registry and a client for it whose waits pass at once.</summary>
internal sealed class PushRegistry : IAsyncDisposable
{
    public const string User = "pusher";
    public const string Password = "s3cret";

    private PushRegistry(TestRegistryServer server, List<HttpTraceEvent> trace, bool withCredential)
    {
        Server = server;
        Trace = trace;
        Client = new RegistryClient(server.Host, new ClientOptions
        {
            UseDockerConfig = false,
            TimeProvider = new InstantTimeProvider(),
            Credential = withCredential ? RegistryCredential.FromPassword(User, Password) : null,
            Trace = e =>
            {
                lock (trace)
                {
                    trace.Add(e);
                }
            },
        });
    }

    public TestRegistryServer Server { get; }

    public RegistryClient Client { get; }

    public List<HttpTraceEvent> Trace { get; }

    public static async Task<PushRegistry> StartAsync(TestRegistryOptions? options = null)
    {
        options ??= new TestRegistryOptions();
        var bearer = options.Authentication == TestRegistryAuthMode.Bearer;
        if (bearer)
        {
            options.Credential ??= new NetworkCredential(User, Password);
        }

        return new PushRegistry(await TestRegistryServer.StartAsync(options), [], bearer);
    }

    public Reference Repository(string name) => Reference.ParseRepository($"{Server.Host}/{name}");

    /// <summary>The log without the token endpoint, oldest first.</summary>
    public RequestLogEntry[] Log => Server.Requests.Where(r => r.Path.StartsWith("/v2/", StringComparison.Ordinal)).ToArray();

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static Descriptor Describe(byte[] content) =>
        new() { MediaType = "application/octet-stream", Digest = Digest.Compute(content), Size = content.Length };

    /// <summary>Opens <paramref name="content"/> from an offset, counting the opens.</summary>
    public static Func<long, CancellationToken, Task<Stream>> Source(byte[] content, List<long>? opens = null) => (offset, _) =>
    {
        opens?.Add(offset);
        return Task.FromResult<Stream>(new MemoryStream(content, (int)offset, content.Length - (int)offset, writable: false));
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.StopAsync();
    }
}
