using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;
using Xunit;
using static OciRegistry.Core.Tests.TestRegistry.WritableRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>The faults on the push side: a reset mid-chunk (CutUpload) that leaves the received bytes in the upload, and Skip.</summary>
public sealed class UploadFaultTests
{
    [Fact]
    public async Task CutUpload_AtOffset_KeepsTheBytesBeforeItAndDropsTheConnection()
    {
        await using var registry = await StartAsync();
        var blob = RegistryFixture.Pattern(300_000);
        registry.Server.Faults.Add(new FaultRule(FaultKind.CutUpload) { Method = "PATCH", Offset = 150_000, Count = 1 });
        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);
        var location = Location(post);

        // The first chunk ends before the cut: taken whole, and the fault does not count it.
        using (var first = await registry.Http.PatchAsync(location, Octets(blob.Take(100_000).ToArray(), "0-99999")))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => registry.Http.PatchAsync(location, Octets(blob.Skip(100_000).ToArray(), "100000-299999")));

        using (var status = await registry.Http.GetAsync(location))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal("0-149999", RegistryAssert.Header(status, "Range"));
        }

        using (var rest = await registry.Http.PatchAsync(location, Octets(blob.Skip(150_000).ToArray(), "150000-299999")))
        {
            Assert.Equal(HttpStatusCode.Accepted, rest.StatusCode);
        }

        using (var put = await registry.Http.PutAsync(location + "?digest=" + Digest.Compute(blob), null))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.Equal(blob, await registry.Http.GetByteArrayAsync($"/v2/{Name}/blobs/{Digest.Compute(blob)}"));
        var patches = registry.Server.Requests.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal(["0-99999", "100000-299999", "150000-299999"], patches.Select(p => p.ContentRange));
        Assert.Equal([false, true, false], patches.Select(p => p.Aborted));
        Assert.Equal([0, 1, 0], patches.Select(p => p.Faults.Count(f => f == FaultKind.CutUpload)));
    }

    [Fact]
    public async Task CutUpload_Default_CutsEachChunkHalfway()
    {
        await using var registry = await StartAsync();
        var blob = RegistryFixture.Pattern(1000);
        registry.Server.Faults.Add(new FaultRule(FaultKind.CutUpload) { Count = 1 });
        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => registry.Http.PatchAsync(Location(post), Octets(blob)));

        using var status = await registry.Http.GetAsync(Location(post));
        Assert.Equal("0-499", RegistryAssert.Header(status, "Range"));
    }

    [Fact]
    public async Task CutUpload_AMonolithicPut_KeepsWhatCameAndCommitsNothing()
    {
        await using var registry = await StartAsync();
        var blob = RegistryFixture.Pattern(1000);
        var digest = Digest.Compute(blob);
        registry.Server.Faults.Add(new FaultRule(FaultKind.CutUpload) { Offset = 600 });
        using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => registry.Http.PutAsync(Location(post) + "?digest=" + digest, Octets(blob)));

        using (var head = new HttpRequestMessage(HttpMethod.Head, $"/v2/{Name}/blobs/{digest}"))
        using (var missing = await registry.Http.SendAsync(head))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using var status = await registry.Http.GetAsync(Location(post));
        Assert.Equal("0-599", RegistryAssert.Header(status, "Range"));
    }

    [Fact]
    public async Task Skip_LetsTheFirstMatchingRequestsPass()
    {
        await using var registry = await StartAsync();
        registry.Server.Faults.Add(new FaultRule(FaultKind.Fail) { Method = "POST", Skip = 2, Count = 1, StatusCode = 503 });
        var statuses = new int[4];
        for (var i = 0; i < statuses.Length; i++)
        {
            using var post = await registry.Http.PostAsync($"/v2/{Name}/blobs/uploads/", null);
            statuses[i] = (int)post.StatusCode;
        }

        Assert.Equal([202, 202, 503, 202], statuses);
    }

    [Theory]
    [InlineData(-1, false, "skip")]
    [InlineData(1, true, "each path")]
    public void Skip_Negative_OrWithEachPath_IsRefused(int skip, bool eachPath, string expected)
    {
        var rule = new FaultRule(FaultKind.Fail) { Skip = skip, Count = 1, CountEachPath = eachPath };

        var error = Assert.Throws<ArgumentException>(rule.Validate);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_SaysWhatACutUploadAndASkipDo()
    {
        Assert.Equal("CutUpload at byte 1024 on PATCH (after 1, first 2)", new FaultRule(FaultKind.CutUpload) { Method = "PATCH", Offset = 1024, Skip = 1, Count = 2 }.ToString());
        Assert.Equal("CutUpload halfway through a chunk", new FaultRule(FaultKind.CutUpload).ToString());
    }
}
