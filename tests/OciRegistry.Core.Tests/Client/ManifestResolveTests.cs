using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Client;

/// <summary>Resolve, exists and rate limit through the client: HEAD first, GET only when HEAD does not tell.</summary>
public sealed class ManifestResolveTests
{
    private const string Repository = TestClient.Registry + "/team/app";

    private static readonly string Body = Manifests.Oci();
    private static readonly Digest BodyDigest = Manifests.DigestOf(Body);

    private static HttpResponseMessage Head(bool withDigest = true)
    {
        var response = Manifests.Response(Body);
        return withDigest ? response.WithHeader("Docker-Content-Digest", BodyDigest.ToString()) : response;
    }

    [Fact]
    public async Task ResolveManifestAsync_HeadWithDigest_SendsOnlyHead()
    {
        var stub = new StubHandler(_ => Head());
        using var client = TestClient.Create(stub);

        var head = await client.ResolveManifestAsync(Reference.Parse(Repository + ":1.0"));

        Assert.Equal(BodyDigest, head.Digest);
        Assert.Equal(Manifests.Bytes(Body).Length, head.Size);
        Assert.Equal(MediaTypes.OciManifest, head.MediaType);
        Assert.False(head.ReadContent);
        Assert.Equal(Repository + "@" + BodyDigest, head.Pinned.ToString());
        Assert.Equal([HttpMethod.Head], stub.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task ResolveManifestAsync_HeadRefusedWith405_HashesTheGet()
    {
        var stub = StubHandler.Sequence(_ => Responses.Error(405, "UNSUPPORTED", "no HEAD"), _ => Manifests.Response(Body));
        using var client = TestClient.Create(stub);

        var head = await client.ResolveManifestAsync(Reference.Parse(Repository + ":1.0"));

        Assert.Equal(BodyDigest, head.Digest);
        Assert.True(head.ReadContent);
        Assert.Equal([HttpMethod.Head, HttpMethod.Get], stub.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task ResolveManifestAsync_HeadWithoutDigest_HashesTheGet()
    {
        var stub = StubHandler.Sequence(_ => Head(withDigest: false), _ => Manifests.Response(Body));
        using var client = TestClient.Create(stub);

        var head = await client.ResolveManifestAsync(Reference.Parse(Repository + ":1.0"));

        Assert.Equal(BodyDigest, head.Digest);
        Assert.Equal([HttpMethod.Head, HttpMethod.Get], stub.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task ResolveManifestAsync_GetNotMatchingItsHeader_ThrowsContentVerificationException()
    {
        var other = Digest.Compute("other"u8.ToArray());
        var stub = StubHandler.Sequence(_ => Responses.Status(405), _ => Manifests.Response(Body).WithHeader("Docker-Content-Digest", other.ToString()));
        using var client = TestClient.Create(stub);

        await Assert.ThrowsAsync<ContentVerificationException>(() => client.ResolveManifestAsync(Reference.Parse(Repository + ":1.0")));
    }

    [Theory]
    [InlineData(404, "MANIFEST_UNKNOWN")]
    [InlineData(404, "NAME_UNKNOWN")]
    [InlineData(404, null)]
    public async Task ManifestExistsAsync_NotFound_IsFalse(int status, string? code)
    {
        var stub = new StubHandler(_ => code is null ? Responses.Status(status) : Responses.Error(status, code, "no"));
        using var client = TestClient.Create(stub);

        Assert.False(await client.ManifestExistsAsync(Reference.Parse(Repository + ":nope")));
        Assert.Equal([HttpMethod.Head], stub.Requests.Select(r => r.Method));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(500)]
    public async Task ManifestExistsAsync_AuthOrServerFailure_Throws(int status)
    {
        var stub = new StubHandler(_ => Responses.Error(status, status == 403 ? "DENIED" : "UNKNOWN", "no"));
        using var client = TestClient.Create(stub, configure: o => o.Retry.MaxRetries = 0);

        await Assert.ThrowsAnyAsync<RegistryResponseException>(() => client.ManifestExistsAsync(Reference.Parse(Repository + ":1.0")));
    }

    [Fact]
    public async Task GetRateLimitAsync_ReadsTheHeadersOfOneHead()
    {
        var stub = new StubHandler(_ => Head().WithHeader("ratelimit-limit", "100;w=21600").WithHeader("ratelimit-remaining", "99;w=21600"));
        using var client = TestClient.Create(stub);

        var limit = await client.GetRateLimitAsync(Reference.Parse(Repository));

        Assert.Equal(99, limit!.Remaining);
        Assert.Equal([HttpMethod.Head], stub.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task TooManyRequests_MessageNamesWhatIsLeftAndTheWait()
    {
        var stub = new StubHandler(_ => Responses.Error(429, "TOOMANYREQUESTS", "You have reached your pull rate limit.")
            .WithHeader("ratelimit-limit", "100;w=21600").WithHeader("ratelimit-remaining", "0;w=21600").WithHeader("Retry-After", "3600"));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(Reference.Parse(Repository + ":1.0")));

        Assert.Equal(429, e.StatusCode);
        Assert.Equal(0, e.RateLimit!.Remaining);
        Assert.Contains("0 of 100 left (per 6 h); it asks to wait 1 h", e.Message, StringComparison.Ordinal);
    }
}
