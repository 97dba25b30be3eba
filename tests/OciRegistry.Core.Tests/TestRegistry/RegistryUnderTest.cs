using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>
/// A fresh registry for one test of faults, the request log or authentication: one 300 KiB blob, a small config,
/// a manifest tagged <c>v1</c> over them, and an HttpClient that does not follow redirects by itself.
/// </summary>
internal sealed class RegistryUnderTest : IAsyncDisposable
{
    public const string Repository = "faults/test";

    private RegistryUnderTest(TestRegistryServer server)
    {
        Server = server;
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };
        Blob = RegistryFixture.Pattern(300 * 1024);
        BlobDigest = server.Content.AddBlob(Repository, Blob);
        Config = "{}"u8.ToArray();
        ConfigDigest = server.Content.AddBlob(Repository, Config);
        Manifest = RegistryFixture.ManifestBytes(ConfigDigest, Config.Length, BlobDigest, Blob.Length);
        ManifestDigest = server.Content.AddManifest(Repository, Manifest, MediaTypes.OciManifest, "v1", "v2", "v3");
    }

    public TestRegistryServer Server { get; }

    public HttpClient Http { get; }

    public byte[] Blob { get; }

    public Digest BlobDigest { get; }

    public byte[] Config { get; }

    public Digest ConfigDigest { get; }

    public byte[] Manifest { get; }

    public Digest ManifestDigest { get; }

    public string BlobPath => $"/v2/{Repository}/blobs/{BlobDigest}";

    public string ManifestPath => $"/v2/{Repository}/manifests/v1";

    public static async Task<RegistryUnderTest> StartAsync(TestRegistryOptions? options = null, params FaultRule[] faults)
    {
        var server = await TestRegistryServer.StartAsync(options);
        server.Faults.AddRange(faults);
        return new RegistryUnderTest(server);
    }

    /// <summary>The log entries for <paramref name="path"/>, oldest first.</summary>
    public RequestLogEntry[] RequestsFor(string path) => Server.Requests.Where(r => r.Path == path).ToArray();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.StopAsync();
    }
}
