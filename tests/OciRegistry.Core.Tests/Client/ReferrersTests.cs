using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.Client;

public sealed class ReferrersTests
{
    private const string Sbom = "application/spdx+json";
    private const string Signature = "application/vnd.dev.cosign.artifact.sig.v1+json";

    private static readonly Digest Subject = Digest.Compute(Encoding.UTF8.GetBytes("the subject"));
    private static readonly Digest SbomDigest = Digest.Compute(Encoding.UTF8.GetBytes("sbom"));
    private static readonly Digest SignatureDigest = Digest.Compute(Encoding.UTF8.GetBytes("signature"));

    private static string ReferrersPath => $"/v2/team/app/referrers/{Subject}";

    private static string SchemaTagPath => $"/v2/team/app/manifests/sha256-{Subject.Encoded}";

    [Fact]
    public async Task ListReferrersAsync_Api_ReturnsTheDescriptorsWithTheirSource()
    {
        var network = new FakeNetwork(request => request.RequestUri!.AbsolutePath == ReferrersPath
            ? Index((SbomDigest, Sbom), (SignatureDigest, Signature))
            : FakeNetwork.Text(500, "unexpected"));
        using var client = network.Client();

        var referrers = await client.ListReferrersAsync(At(Subject)).ToListAsync();

        Assert.Equal([SbomDigest, SignatureDigest], referrers.Select(r => r.Digest));
        Assert.Equal([Sbom, Signature], referrers.Select(r => r.ArtifactType));
        Assert.Equal("2024-01-01", referrers[0].Annotations["org.opencontainers.image.created"]);
        Assert.All(referrers, r => Assert.Equal(FakeNetwork.Registry + "/team/app", r.Source!.ToString()));
        var request = Assert.Single(network.Requests);
        Assert.Equal(MediaTypes.OciIndex, request.Accept);
    }

    [Fact]
    public async Task ListReferrersAsync_FilterNotApplied_FiltersHere()
    {
        var network = new FakeNetwork(_ => Index((SbomDigest, Sbom), (SignatureDigest, Signature)));
        using var client = network.Client();

        var referrers = await client.ListReferrersAsync(At(Subject), Sbom).ToListAsync();

        Assert.Equal([SbomDigest], referrers.Select(r => r.Digest));
        Assert.Equal("?artifactType=application%2Fspdx%2Bjson", Assert.Single(network.Requests).Uri.Query);
    }

    [Theory]
    [InlineData("artifactType")]
    [InlineData("annotation, artifactType")]
    public async Task ListReferrersAsync_FilterApplied_TrustsTheRegistry(string header)
    {
        // A registry that says it filtered is believed: what it sends is the answer, even a type the client did not ask for.
        var network = new FakeNetwork(_ => Index((SbomDigest, Sbom), (SignatureDigest, Signature)).With("OCI-Filters-Applied", header));
        using var client = network.Client();

        var referrers = await client.ListReferrersAsync(At(Subject), Sbom).ToListAsync();

        Assert.Equal(2, referrers.Count);
    }

    [Fact]
    public async Task ListReferrersAsync_LinkPages_AreFollowed()
    {
        var network = new FakeNetwork(request => request.RequestUri!.Query.Contains("page=2", StringComparison.Ordinal)
            ? Index((SignatureDigest, Signature))
            : Index((SbomDigest, Sbom)).With("Link", $"<{ReferrersPath}?page=2>; rel=\"next\""));
        using var client = network.Client();

        var referrers = await client.ListReferrersAsync(At(Subject)).ToListAsync();

        Assert.Equal([SbomDigest, SignatureDigest], referrers.Select(r => r.Digest));
        Assert.Equal(2, network.Requests.Count);
    }

    [Fact]
    public async Task ListReferrersAsync_LaterPageNotFound_IsAnErrorNotAFallback()
    {
        // Only the first answer can say "no referrers API": once pages are coming, a 404 means the list broke off.
        var network = new FakeNetwork(request => request.RequestUri!.Query.Contains("page=2", StringComparison.Ordinal)
            ? FakeNetwork.Text(404, "gone")
            : Index((SbomDigest, Sbom)).With("Link", $"<{ReferrersPath}?page=2>; rel=\"next\""));
        using var client = network.Client();
        var seen = new System.Collections.Generic.List<Digest>();

        var e = await Assert.ThrowsAsync<RegistryResponseException>(async () =>
        {
            await foreach (var referrer in client.ListReferrersAsync(At(Subject)))
            {
                seen.Add(referrer.Digest);
            }
        });

        Assert.Equal(404, e.StatusCode);
        Assert.Equal([SbomDigest], seen);
        Assert.Equal(2, network.Requests.Count);
        Assert.Equal(MediaTypes.OciIndex, network.Requests[0].Accept);
    }

    [Fact]
    public async Task ListReferrersAsync_LinkLoop_Stops()
    {
        var network = new FakeNetwork(_ => Index((SbomDigest, Sbom)).With("Link", $"<{ReferrersPath}?page=2>; rel=\"next\""));
        using var client = network.Client();

        await Assert.ThrowsAsync<OciException>(() => client.ListReferrersAsync(At(Subject)).ToListAsync().AsTask());
        Assert.Equal(2, network.Requests.Count);
    }

    [Theory]
    [InlineData(404, "text/plain", "404 page not found")]
    [InlineData(404, "application/json", """{"errors":[{"code":"NOT_FOUND","message":"no such route"}]}""")]
    [InlineData(200, "text/html", "<html>a registry's web page</html>")]
    [InlineData(200, MediaTypes.OciManifest, "{}")]
    public async Task ListReferrersAsync_NoApi_FallsBackToTheTagSchema(int status, string contentType, string body)
    {
        var network = new FakeNetwork(request => request.RequestUri!.AbsolutePath switch
        {
            var p when p == ReferrersPath => FakeNetwork.Bytes(Encoding.UTF8.GetBytes(body), contentType, status),
            var p when p == SchemaTagPath => Index((SbomDigest, Sbom), (SignatureDigest, Signature)),
            _ => FakeNetwork.Error(404, "MANIFEST_UNKNOWN"),
        });
        var trace = new System.Collections.Concurrent.ConcurrentQueue<HttpTraceEvent>();
        using var client = network.Client(o => o.Trace = trace.Enqueue);

        var referrers = await client.ListReferrersAsync(At(Subject), Signature).ToListAsync();

        Assert.Equal([SignatureDigest], referrers.Select(r => r.Digest));
        Assert.Equal(SchemaTagPath, network.Requests[1].Uri.AbsolutePath);
        Assert.Contains(trace, e => e.Kind == HttpTraceKind.Fallback && e.ToString().Contains($"sha256-{Subject.Encoded}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListReferrersAsync_NoApiAndNoTag_HasNoReferrers()
    {
        var network = new FakeNetwork(_ => FakeNetwork.Error(404, "MANIFEST_UNKNOWN"));
        using var client = network.Client();

        Assert.Empty(await client.ListReferrersAsync(At(Subject)).ToListAsync());
        Assert.Equal(2, network.Requests.Count);
    }

    [Fact]
    public async Task ListReferrersAsync_UnknownRepository_IsAnError()
    {
        var network = new FakeNetwork(_ => FakeNetwork.Error(404, "NAME_UNKNOWN"));
        using var client = network.Client();

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.ListReferrersAsync(At(Subject)).ToListAsync().AsTask());

        Assert.Contains(e.Errors, x => x.Code == "NAME_UNKNOWN");
    }

    [Fact]
    public async Task ListReferrersAsync_SchemaTagIsNotAnIndex_IsReferrersUnavailable()
    {
        var manifest = $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciEmpty}}","digest":"{{SbomDigest}}","size":2},"layers":[]}""";
        var network = new FakeNetwork(request => request.RequestUri!.AbsolutePath == SchemaTagPath
            ? FakeNetwork.Json(manifest, MediaTypes.OciManifest)
            : FakeNetwork.Text(404, "not here"));
        using var client = network.Client();

        var e = await Assert.ThrowsAsync<ReferrersUnavailableException>(() => client.ListReferrersAsync(At(Subject)).ToListAsync().AsTask());

        Assert.Contains($"sha256-{Subject.Encoded}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListReferrersAsync_ApiServerError_IsNotAFallback()
    {
        var network = new FakeNetwork(_ => FakeNetwork.Error(500, "UNKNOWN", "boom"));
        using var client = network.Client();

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.ListReferrersAsync(At(Subject)).ToListAsync().AsTask());

        Assert.Equal(500, e.StatusCode);
        Assert.Single(network.Requests);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"digest":"sha256:x"}]}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json"}""")]
    [InlineData("[]")]
    public async Task ListReferrersAsync_MalformedIndex_FailsCleanly(string body)
    {
        var network = new FakeNetwork(_ => FakeNetwork.Json(body, MediaTypes.OciIndex));
        using var client = network.Client();

        await Assert.ThrowsAsync<ManifestFormatException>(() => client.ListReferrersAsync(At(Subject)).ToListAsync().AsTask());
    }

    [Fact]
    public async Task ListReferrersAsync_Tag_IsResolvedToItsDigestFirst()
    {
        var manifest = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciEmpty}}","digest":"{{SbomDigest}}","size":2},"layers":[]}""");
        var digest = Digest.Compute(manifest);
        var network = new FakeNetwork(request => request.RequestUri!.AbsolutePath == "/v2/team/app/manifests/1.0"
            ? FakeNetwork.Bytes(manifest, MediaTypes.OciManifest)
            : Index((SbomDigest, Sbom)));
        using var client = network.Client();

        await client.ListReferrersAsync(Reference.Parse(FakeNetwork.Registry + "/team/app:1.0")).ToListAsync();

        Assert.Equal($"/v2/team/app/referrers/{digest}", network.Requests[1].Uri.AbsolutePath);
    }

    [Fact]
    public void TagFor_Sha512_KeepsTheFirst64HexDigits()
    {
        var digest = Digest.Compute("sha512", Encoding.UTF8.GetBytes("x"));

        var tag = ReferrersReader.TagFor(digest);

        Assert.Equal("sha512-" + digest.Encoded[..64], tag);
        Assert.True(Reference.IsValidTag(tag));
    }

    [Fact]
    public void ListReferrersAsync_OtherRegistry_IsRefusedAtOnce()
    {
        using var client = new FakeNetwork(_ => FakeNetwork.Text(500, "x")).Client();

        Assert.Throws<ArgumentException>(() => client.ListReferrersAsync(Reference.Parse("other.example/team/app@" + Subject)));
    }

    private static Reference At(Digest digest) => Reference.Parse(FakeNetwork.Registry + "/team/app@" + digest);

    private static HttpResponseMessage Index(params (Digest Digest, string ArtifactType)[] referrers)
    {
        var entries = referrers.Select(r =>
            $$"""{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{r.Digest}}","size":123,"artifactType":"{{r.ArtifactType}}","annotations":{"org.opencontainers.image.created":"2024-01-01"} }""");
        return FakeNetwork.Json($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[{{string.Join(",", entries)}}]}""", MediaTypes.OciIndex);
    }
}
