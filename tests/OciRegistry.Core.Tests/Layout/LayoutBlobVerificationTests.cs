using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Layout;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.Layout;

/// <summary>
/// Blobs served from a layout are hashed on their first GET, before any byte goes out: a file whose bytes do not
/// match its digest is answered 404 BLOB_UNKNOWN (the registry has no content with that digest), never served.
/// </summary>
public sealed class LayoutBlobVerificationTests : IDisposable
{
    private const string Repository = "fixtures/verified";

    private readonly LayoutBuilder _layout = new();

    public void Dispose() => _layout.Dispose();

    [Fact]
    public async Task GetBlob_LayerFileThatDoesNotMatchItsDigest_IsNotServed()
    {
        var image = _layout.Image("tampered");
        _layout.WriteIndexJson(image.Manifest.Tagged("v1"));
        var forged = Encoding.UTF8.GetBytes("FORGED".PadRight((int)image.Layer.Size, '!'));
        await File.WriteAllBytesAsync(_layout.BlobPath(image.Layer.Digest), forged);
        using var server = await TestRegistryServer.StartAsync();
        server.Content.AddLayout(_layout.Root, Repository);
        using var client = new HttpClient { BaseAddress = server.Url };
        var url = $"v2/{Repository}/blobs/{image.Layer.Digest}";

        using var first = await client.GetAsync(url);
        var firstBody = await first.Content.ReadAsStringAsync();
        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new RangeHeaderValue(0, 3);
        using var second = await client.SendAsync(ranged);
        var secondBody = await second.Content.ReadAsStringAsync();
        using var config = await client.GetAsync($"v2/{Repository}/blobs/{image.Config.Digest}");

        Assert.DoesNotContain("FORGED", firstBody, StringComparison.Ordinal);
        Assert.DoesNotContain("FORG", secondBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        Assert.Contains("BLOB_UNKNOWN", firstBody, StringComparison.Ordinal);
        Assert.Contains("does not match its digest", firstBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, config.StatusCode);
    }

    [Fact]
    public async Task GetBlob_FileRewrittenAfterItWasServed_IsHashedAgain()
    {
        var image = _layout.Image("rewritten");
        _layout.WriteIndexJson(image.Manifest.Tagged("v1"));
        using var server = await TestRegistryServer.StartAsync();
        server.Content.AddLayout(_layout.Root, Repository);
        using var client = new HttpClient { BaseAddress = server.Url };
        var url = $"v2/{Repository}/blobs/{image.Layer.Digest}";
        var path = _layout.BlobPath(image.Layer.Digest);

        var original = await client.GetByteArrayAsync(url);
        await File.WriteAllBytesAsync(path, Enumerable.Repeat((byte)'X', original.Length).ToArray());
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        using var after = await client.GetAsync(url);
        var body = await after.Content.ReadAsStringAsync();

        Assert.Equal(await File.ReadAllBytesAsync(path), Enumerable.Repeat((byte)'X', original.Length).ToArray());
        Assert.Equal("layer of rewritten", Encoding.UTF8.GetString(original));
        Assert.DoesNotContain("XXXX", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task GetBlob_ManyFirstRequestsAtOnce_AllGetTheVerifiedBytes()
    {
        var image = _layout.Image("busy");
        _layout.WriteIndexJson(image.Manifest.Tagged("v1"));
        using var server = await TestRegistryServer.StartAsync();
        server.Content.AddLayout(_layout.Root, Repository);
        using var client = new HttpClient { BaseAddress = server.Url };

        var bodies = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => client.GetByteArrayAsync($"v2/{Repository}/blobs/{image.Layer.Digest}")));

        Assert.All(bodies, body => Assert.Equal("layer of busy", Encoding.UTF8.GetString(body)));
    }
}
