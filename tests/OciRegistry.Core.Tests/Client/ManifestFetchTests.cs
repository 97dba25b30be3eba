using System;
using System.Linq;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Client;

/// <summary>Manifests through the client: verification, size caps, formats and platform selection.</summary>
public sealed class ManifestFetchTests
{
    private const string Repository = TestClient.Registry + "/team/app";

    private static readonly string Body = Manifests.Oci();
    private static readonly Digest BodyDigest = Manifests.DigestOf(Body);

    [Fact]
    public async Task GetManifestAsync_ByMatchingDigest_ReturnsTheVerifiedManifest()
    {
        var stub = new StubHandler(_ => Manifests.Response(Body));
        using var client = TestClient.Create(stub);

        var manifest = await client.GetManifestAsync(Reference.Parse(Repository + "@" + BodyDigest));

        Assert.Equal(BodyDigest, manifest.Digest);
        Assert.Equal(Manifests.Bytes(Body), manifest.GetRawContent());
        Assert.Equal("https://registry.example/v2/team/app/manifests/" + BodyDigest, stub.Requests.Single().Uri.AbsoluteUri);
        Assert.Equal(Repository, manifest.Source!.ToString());
    }

    [Fact]
    public async Task GetManifestAsync_ByDigestWithOtherContent_ThrowsContentVerificationException()
    {
        var wanted = Digest.Compute("something else"u8.ToArray());
        var stub = new StubHandler(_ => Manifests.Response(Body));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<ContentVerificationException>(() => client.GetManifestAsync(Reference.Parse(Repository + "@" + wanted)));

        Assert.Equal(wanted, e.Expected);
        Assert.Equal(BodyDigest, e.Actual);
        Assert.Contains(wanted.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains(BodyDigest.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetManifestAsync_ByDigestWhileRegistryAnnouncesAnother_TrustsOnlyThePinnedDigest()
    {
        var wanted = Digest.Compute("something else"u8.ToArray());
        var stub = new StubHandler(_ => Manifests.Response(Body).WithHeader("Docker-Content-Digest", wanted.ToString()));
        using var client = TestClient.Create(stub);

        await Assert.ThrowsAsync<ContentVerificationException>(() => client.GetManifestAsync(Reference.Parse(Repository + "@" + wanted)));
    }

    [Fact]
    public async Task GetManifestAsync_ByTagWithMatchingHeader_Succeeds()
    {
        var stub = new StubHandler(_ => Manifests.Response(Body).WithHeader("Docker-Content-Digest", BodyDigest.ToString()));
        using var client = TestClient.Create(stub);

        var manifest = await client.GetManifestAsync(Reference.Parse(Repository + ":1.0"));

        Assert.Equal(BodyDigest, manifest.Digest);
    }

    [Fact]
    public async Task GetManifestAsync_ByTagWithMismatchingHeader_ThrowsContentVerificationException()
    {
        var announced = Digest.Compute("other"u8.ToArray());
        var stub = new StubHandler(_ => Manifests.Response(Body).WithHeader("Docker-Content-Digest", announced.ToString()));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<ContentVerificationException>(() => client.GetManifestAsync(Reference.Parse(Repository + ":1.0")));

        Assert.Equal(announced, e.Expected);
        Assert.Equal(BodyDigest, e.Actual);
    }

    [Fact]
    public async Task GetManifestAsync_ByTagWithSha512Header_VerifiesWithSha512()
    {
        var announced = Digest.Compute("sha512", Manifests.Bytes(Body));
        var stub = new StubHandler(_ => Manifests.Response(Body).WithHeader("Docker-Content-Digest", announced.ToString()));
        using var client = TestClient.Create(stub);

        var manifest = await client.GetManifestAsync(Reference.Parse(Repository + ":1.0"));

        Assert.Equal(announced, manifest.Digest);
    }

    [Fact]
    public async Task GetManifestAsync_ByTagWithoutHeader_IsAccepted()
    {
        var stub = new StubHandler(_ => Manifests.Response(Body));
        using var client = TestClient.Create(stub);

        var manifest = await client.GetManifestAsync(Reference.Parse(Repository + ":1.0"));

        Assert.Equal(BodyDigest, manifest.Digest);
    }

    [Fact]
    public async Task GetManifestAsync_TagAndDigest_RequestsTheTagAndVerifiesTheDigest()
    {
        var stub = new StubHandler(_ => Manifests.Response(Body));
        using var client = TestClient.Create(stub);

        await client.GetManifestAsync(Reference.Parse(Repository + ":1.0@" + BodyDigest));
        var wrong = Digest.Compute([]);
        await Assert.ThrowsAsync<ContentVerificationException>(() => client.GetManifestAsync(Reference.Parse(Repository + ":1.0@" + wrong)));

        Assert.All(stub.Requests, r => Assert.EndsWith("/manifests/1.0", r.Uri.AbsolutePath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetManifestAsync_Request_AcceptsEverySupportedTypeAndNamesTheClient()
    {
        var stub = new StubHandler(_ => Manifests.Response(Body));
        using var client = TestClient.Create(stub, configure: o => o.UserAgent = "OciRegistry/9.9.9");

        await client.GetManifestAsync(Reference.Parse(Repository + ":1.0"));

        var request = stub.Requests.Single();
        Assert.Equal(MediaTypes.ManifestAccept.OrderBy(t => t), request.Headers["Accept"].Split(", ").OrderBy(t => t));
        Assert.Equal("OciRegistry/9.9.9", request.Headers["User-Agent"]);
    }

    [Theory]
    [InlineData("docker.io", "alpine", "https://registry-1.docker.io/v2/library/alpine/manifests/latest")]
    [InlineData("localhost:5000", "localhost:5000/app:1", "http://localhost:5000/v2/app/manifests/1")]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000/app:1", "http://127.0.0.1:5000/v2/app/manifests/1")]
    [InlineData("ghcr.io", "ghcr.io/org/app:1", "https://ghcr.io/v2/org/app/manifests/1")]
    public async Task GetManifestAsync_Registry_UsesItsEndpointAndScheme(string registry, string reference, string url)
    {
        var stub = new StubHandler(_ => Manifests.Response(Body));
        using var client = TestClient.Create(stub, registry: registry);

        await client.GetManifestAsync(Reference.Parse(reference));

        Assert.Equal(url, stub.Requests.Single().Uri.AbsoluteUri);
    }

    [Fact]
    public async Task GetManifestAsync_AllowInsecure_UsesHttpForARemoteRegistry()
    {
        var stub = new StubHandler(_ => Manifests.Response(Body));
        using var client = TestClient.Create(stub, configure: o => o.AllowInsecure = true);

        await client.GetManifestAsync(Reference.Parse(Repository + ":1"));

        Assert.Equal("http", stub.Requests.Single().Uri.Scheme);
    }

    [Fact]
    public async Task GetManifestAsync_ReferenceOnAnotherRegistry_ThrowsBeforeAnyRequest()
    {
        var stub = new StubHandler(_ => Manifests.Response(Body));
        using var client = TestClient.Create(stub);

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetManifestAsync(Reference.Parse("ghcr.io/team/app:1")));

        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task GetManifestAsync_AnnouncedLengthOverTheCap_ThrowsContentTooLargeWithoutReading()
    {
        var stub = new StubHandler(_ => Responses.Streamed(new WireStream(new byte[10]), MediaTypes.OciManifest, announce: 5_000_000));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<ContentTooLargeException>(() => client.GetManifestAsync(Reference.Parse(Repository + ":1")));

        Assert.Equal(Limits.ManifestBytes, e.Limit);
        Assert.Equal(5_000_000, e.Size);
    }

    [Fact]
    public async Task GetManifestAsync_UnannouncedBodyOverTheCap_ThrowsContentTooLarge()
    {
        var stub = new StubHandler(_ => Responses.Streamed(new WireStream(new byte[300], pieceSize: 7), MediaTypes.OciManifest));
        using var client = TestClient.Create(stub, configure: o => o.MaxManifestBytes = 256);

        var e = await Assert.ThrowsAsync<ContentTooLargeException>(() => client.GetManifestAsync(Reference.Parse(Repository + ":1")));

        Assert.Equal(256, e.Limit);
        Assert.Null(e.Size);
    }

    [Fact]
    public async Task GetManifestAsync_UnannouncedBodyExactlyAtTheCap_IsRead()
    {
        var bytes = Manifests.Bytes(Body);
        var stub = new StubHandler(_ => Responses.Streamed(new WireStream(bytes, pieceSize: 10), MediaTypes.OciManifest));
        using var client = TestClient.Create(stub, configure: o => o.MaxManifestBytes = bytes.Length);

        var manifest = await client.GetManifestAsync(Reference.Parse(Repository + ":1"));

        Assert.Equal(BodyDigest, manifest.Digest);
    }

    [Fact]
    public async Task GetManifestAsync_DockerSchema1_ThrowsUnsupportedMediaType()
    {
        var stub = new StubHandler(_ => Manifests.Response("""{"schemaVersion":1,"name":"team/app","tag":"1","fsLayers":[],"signatures":[]}""", MediaTypes.DockerSchema1Signed));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<ManifestFormatException>(() => client.GetManifestAsync(Reference.Parse(Repository + ":1")));

        Assert.True(e.IsUnsupportedMediaType);
    }

    [Theory]
    [InlineData("{\"schemaVersion\":2,", "not valid JSON")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}", "no 'config'")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"a\",\"digest\":\"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\"size\":0},\"layers\":[{\"mediaType\":\"b\",\"digest\":\"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\"size\":-5}]}", "'layers[0].size'")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"a\",\"digest\":\"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\"size\":0},\"layers\":[{\"mediaType\":\"b\",\"digest\":\"sha256:nothex\",\"size\":5}]}", "'layers[0].digest'")]
    public async Task GetManifestAsync_MalformedManifest_ThrowsNamingTheField(string json, string field)
    {
        var stub = new StubHandler(_ => Manifests.Response(json));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<ManifestFormatException>(() => client.GetManifestAsync(Reference.Parse(Repository + ":1")));

        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetManifestAsync_OciIndex_ReturnsAnIndex()
    {
        var stub = new StubHandler(_ => Manifests.Response(Manifests.OciIndex(), MediaTypes.OciIndex));
        using var client = TestClient.Create(stub);

        var index = Assert.IsType<ImageIndex>(await client.GetManifestAsync(Reference.Parse(Repository + ":1")));

        Assert.Equal(4, index.Manifests.Count);
        Assert.All(index.Manifests, m => Assert.Equal(Repository, m.Source!.ToString()));
    }

    [Fact]
    public async Task GetManifestForPlatformAsync_WantedArm64_PicksTheArm64V8Manifest()
    {
        var arm64 = Manifests.Oci("[]");
        var index = IndexOver(("amd64", null, Manifests.Oci()), ("arm", "v7", Manifests.Oci("[{\"mediaType\":\"x\",\"digest\":\"" + Manifests.LayerDigest + "\",\"size\":0}]")), ("arm64", "v8", arm64));
        var stub = new StubHandler(request => request.RequestUri!.AbsolutePath.EndsWith("/1", StringComparison.Ordinal)
            ? Manifests.Response(index, MediaTypes.OciIndex)
            : Manifests.Response(request.RequestUri.AbsolutePath.EndsWith(Manifests.DigestOf(arm64).ToString(), StringComparison.Ordinal) ? arm64 : "{}"));
        using var client = TestClient.Create(stub);
        var document = await client.GetManifestAsync(Reference.Parse(Repository + ":1"));

        var manifest = await client.GetManifestForPlatformAsync(document, Platform.Parse("linux/arm64"));

        Assert.IsType<ImageManifest>(manifest);
        Assert.Equal(Manifests.DigestOf(arm64), manifest.Digest);
        Assert.Equal("https://registry.example/v2/team/app/manifests/" + Manifests.DigestOf(arm64), stub.Requests[1].Uri.AbsoluteUri);
    }

    [Fact]
    public async Task GetManifestForPlatformAsync_PlatformMissing_ThrowsListingTheIndexPlatformsButNotItsAttestations()
    {
        var stub = new StubHandler(_ => Manifests.Response(Manifests.OciIndex(), MediaTypes.OciIndex));
        using var client = TestClient.Create(stub);
        var document = await client.GetManifestAsync(Reference.Parse(Repository + ":1"));

        var e = await Assert.ThrowsAsync<PlatformNotFoundException>(() => client.GetManifestForPlatformAsync(document, Platform.Parse("windows/amd64")));

        Assert.Equal("windows/amd64", e.Wanted.ToString());
        // The index's fourth entry is BuildKit's attestation manifest (unknown/unknown): not a platform to pick.
        Assert.Equal(["linux/amd64", "linux/arm/v7", "linux/arm64/v8"], e.Available.Select(p => p.ToString()).ToArray());
        Assert.Contains("linux/amd64, linux/arm/v7, linux/arm64/v8", e.Message, StringComparison.Ordinal);
        Assert.Single(stub.Requests);
    }

    [Theory]
    [InlineData("linux/amd64", true)]
    [InlineData("linux/s390x", false)]
    public async Task GetManifestForPlatformAsync_SingleImage_IsCheckedAgainstItsConfig(string wanted, bool matches)
    {
        var config = Manifests.Bytes("""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}""");
        var image = Manifests.Oci()
            .Replace(Manifests.ConfigDigest, Digest.Compute(config).ToString(), StringComparison.Ordinal)
            .Replace("\"size\":2}", "\"size\":" + config.Length + "}", StringComparison.Ordinal);
        var stub = new StubHandler(r => r.RequestUri!.AbsolutePath.Contains("/blobs/", StringComparison.Ordinal)
            ? Responses.Content(config, "application/octet-stream")
            : Manifests.Response(image));
        using var client = TestClient.Create(stub);
        var document = await client.GetManifestAsync(Reference.Parse(Repository + ":1"));

        if (matches)
        {
            Assert.Same(document, await client.GetManifestForPlatformAsync(document, Platform.Parse(wanted)));
        }
        else
        {
            var e = await Assert.ThrowsAsync<PlatformNotFoundException>(() => client.GetManifestForPlatformAsync(document, Platform.Parse(wanted)));
            Assert.Equal("linux/amd64", Assert.Single(e.Available).ToString());
        }

        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public async Task GetManifestForPlatformAsync_Artifact_IsReturnedWithoutARequest()
    {
        var artifact = Body.Replace(MediaTypes.OciConfig, "application/vnd.example.thing.config+json", StringComparison.Ordinal);
        var stub = new StubHandler(_ => Manifests.Response(artifact));
        using var client = TestClient.Create(stub);
        var document = await client.GetManifestAsync(Reference.Parse(Repository + ":1"));

        Assert.Same(document, await client.GetManifestForPlatformAsync(document, Platform.Parse("linux/s390x")));
        Assert.Single(stub.Requests);
    }

    private static string IndexOver(params (string Architecture, string? Variant, string Json)[] entries) =>
        "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciIndex + "\",\"manifests\":[" +
        string.Join(",", entries.Select(e =>
            "{\"mediaType\":\"" + MediaTypes.OciManifest + "\",\"digest\":\"" + Manifests.DigestOf(e.Json) + "\",\"size\":" + Manifests.Bytes(e.Json).Length +
            ",\"platform\":{\"os\":\"linux\",\"architecture\":\"" + e.Architecture + "\"" + (e.Variant is null ? string.Empty : ",\"variant\":\"" + e.Variant + "\"") + "}}")) +
        "]}";
}
