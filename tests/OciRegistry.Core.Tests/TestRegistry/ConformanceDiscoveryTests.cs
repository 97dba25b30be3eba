using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using Xunit;
using static OciRegistry.Core.Tests.TestRegistry.WritableRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>
/// The content discovery category of the conformance suite (conformance/03_discovery_test.go): tag listing with
/// <c>n</c> and <c>last</c>, the referrers API with and without an <c>artifactType</c> filter, <c>OCI-Subject</c> on
/// pushes with a subject; and the catalog.
/// </summary>
public sealed class ConformanceDiscoveryTests
{
    private const string TypeA = "application/vnd.example.sbom";
    private const string TypeB = "application/vnd.example.signature";

    [Fact]
    public async Task TagList_IsLimitedByN_AndStartsAfterLast_WithALinkToTheNextPage()
    {
        await using var registry = await StartAsync();
        foreach (var tag in new[] { "test0", "test1", "test2", "test3" })
        {
            await registry.PushImageAsync(tag, "same");
        }

        var all = await TagsAsync(registry, string.Empty);
        using var first = await registry.Http.GetAsync($"/v2/{Name}/tags/list?n=2");
        var page = Tags(await first.Content.ReadAsStringAsync());
        var rest = await TagsAsync(registry, $"?n=2&last={page[1]}");

        Assert.Equal(["test0", "test1", "test2", "test3"], all);
        Assert.Equal(["test0", "test1"], page);
        Assert.Equal($"</v2/{Name}/tags/list?n=2&last=test1>; rel=\"next\"", RegistryAssert.Header(first, "Link"));
        Assert.Equal(["test2", "test3"], rest);
    }

    [Fact]
    public async Task Referrers_OfAnUnknownDigest_IsAnEmptyIndex()
    {
        await using var registry = await StartAsync();
        await registry.PushImageAsync("v1", "x");

        using var response = await registry.Http.GetAsync($"/v2/{Name}/referrers/{Digest.Compute([1, 2, 3])}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaTypes.OciIndex, response.Content.Headers.ContentType?.MediaType);
        using var index = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, index.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Empty(index.RootElement.GetProperty("manifests").EnumerateArray());
    }

    [Fact]
    public async Task Referrers_ListsManifestsAndIndexesWithTheSubject_WithArtifactTypesAndAnnotations_AndFilters()
    {
        await using var registry = await StartAsync();
        var (subject, subjectBytes) = await registry.PushImageAsync("v1", "subject");
        var empty = await registry.PushBlobAsync("{}"u8.ToArray());
        var layer = await registry.PushBlobAsync("sbom"u8.ToArray());
        var configTyped = await registry.PushBlobAsync("{\"signature\":1}"u8.ToArray());
        var referrerA = Manifest((empty, 2, MediaTypes.OciEmpty), [(layer, 4)], TypeA, (subject, subjectBytes.Length), "a");
        var referrerB = Manifest((configTyped, 15, TypeB), [(layer, 4)], null, (subject, subjectBytes.Length), "b");
        var index = Json($$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","artifactType":"{{{TypeA}}}","manifests":[],"subject":{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{subject}}}","size":{{{subjectBytes.Length}}}},"annotations":{"org.example.test":"index"}}""");

        foreach (var (content, type) in new[] { (referrerA, MediaTypes.OciManifest), (referrerB, MediaTypes.OciManifest), (index, MediaTypes.OciIndex) })
        {
            using var put = await registry.PutManifestAsync(Digest.Compute(content).ToString(), content, type);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal(subject.ToString(), RegistryAssert.Header(put, "OCI-Subject"));
        }

        using var all = await registry.Http.GetAsync($"/v2/{Name}/referrers/{subject}");
        using var filtered = await registry.Http.GetAsync($"/v2/{Name}/referrers/{subject}?artifactType={TypeA}");

        var listed = Descriptors(await all.Content.ReadAsStringAsync());
        Assert.Equal(3, listed.Length);
        Assert.Equal(
            new (string, string?, string?)[] { (Digest.Compute(referrerA).ToString(), TypeA, "a"), (Digest.Compute(referrerB).ToString(), TypeB, "b"), (Digest.Compute(index).ToString(), TypeA, "index") }.OrderBy(d => d.Item1, System.StringComparer.Ordinal),
            listed.Select(d => (d.Digest, d.ArtifactType, d.Annotation)));
        Assert.False(all.Headers.Contains("OCI-Filters-Applied"));
        Assert.Equal("artifactType", RegistryAssert.Header(filtered, "OCI-Filters-Applied"));
        Assert.Equal(
            new[] { Digest.Compute(referrerA).ToString(), Digest.Compute(index).ToString() }.OrderBy(d => d, System.StringComparer.Ordinal),
            Descriptors(await filtered.Content.ReadAsStringAsync()).Select(d => d.Digest));
        Assert.Equal(referrerA.Length, JsonDocument.Parse(await all.Content.ReadAsStringAsync()).RootElement.GetProperty("manifests").EnumerateArray().First(d => d.GetProperty("digest").GetString() == Digest.Compute(referrerA).ToString()).GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task Referrers_ToAMissingManifest_AreAcceptedAndListed()
    {
        await using var registry = await StartAsync();
        var missing = Digest.Compute("not pushed"u8.ToArray());
        var empty = await registry.PushBlobAsync("{}"u8.ToArray());
        var referrer = Manifest((empty, 2, MediaTypes.OciEmpty), [], TypeA, (missing, 10));

        using var put = await registry.PutManifestAsync(Digest.Compute(referrer).ToString(), referrer);
        using var list = await registry.Http.GetAsync($"/v2/{Name}/referrers/{missing}");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(missing.ToString(), RegistryAssert.Header(put, "OCI-Subject"));
        Assert.Equal(Digest.Compute(referrer).ToString(), Assert.Single(Descriptors(await list.Content.ReadAsStringAsync())).Digest);
    }

    [Fact]
    public async Task Referrers_MalformedDigest_Returns400()
    {
        await using var registry = await StartAsync();

        using var response = await registry.Http.GetAsync($"/v2/{Name}/referrers/sha256:nothex");

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "DIGEST_INVALID");
    }

    [Fact]
    public async Task Referrers_OfAnUnknownRepository_Returns404NameUnknown_AndSwitchedOff404NotFound()
    {
        await using var registry = await StartAsync();
        await using var without = await StartAsync(new OciRegistry.TestRegistry.TestRegistryOptions { ReferrersApi = false });
        var (subject, _) = await without.PushImageAsync("v1", "x");

        using var unknown = await registry.Http.GetAsync($"/v2/no/such/referrers/{subject}");
        using var off = await without.Http.GetAsync($"/v2/{Name}/referrers/{subject}");

        await RegistryAssert.ErrorAsync(unknown, HttpStatusCode.NotFound, "NAME_UNKNOWN");
        await RegistryAssert.ErrorAsync(off, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Catalog_ListsRepositories_WithNLastAndLink()
    {
        await using var registry = await StartAsync();
        foreach (var name in new[] { "b/two", "a/one", "c/three" })
        {
            await registry.PushBlobAsync("x"u8.ToArray(), name);
        }

        using var all = await registry.Http.GetAsync("/v2/_catalog");
        using var page = await registry.Http.GetAsync("/v2/_catalog?n=2");
        using var rest = await registry.Http.GetAsync("/v2/_catalog?n=2&last=b/two");
        using var bad = await registry.Http.GetAsync("/v2/_catalog?n=-1");

        Assert.Equal(["a/one", "b/two", "c/three"], Repositories(await all.Content.ReadAsStringAsync()));
        Assert.Equal(["a/one", "b/two"], Repositories(await page.Content.ReadAsStringAsync()));
        Assert.Equal("</v2/_catalog?n=2&last=b%2Ftwo>; rel=\"next\"", RegistryAssert.Header(page, "Link"));
        Assert.Equal(["c/three"], Repositories(await rest.Content.ReadAsStringAsync()));
        await RegistryAssert.ErrorAsync(bad, HttpStatusCode.BadRequest, "PAGINATION_NUMBER_INVALID");
    }

    private static async Task<string[]> TagsAsync(WritableRegistry registry, string query)
    {
        using var response = await registry.Http.GetAsync($"/v2/{Name}/tags/list{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Tags(await response.Content.ReadAsStringAsync());
    }

    private static string[] Tags(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)];

    private static string[] Repositories(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("repositories").EnumerateArray().Select(t => t.GetString()!)];

    private static (string Digest, string? ArtifactType, string? Annotation)[] Descriptors(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("manifests").EnumerateArray().Select(d => (
            d.GetProperty("digest").GetString()!,
            d.TryGetProperty("artifactType", out var type) ? type.GetString() : null,
            d.TryGetProperty("annotations", out var annotations) ? annotations.GetProperty("org.example.test").GetString() : null))];
}
