using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.Push;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.Push;

/// <summary>The token scopes a push asks for, from the request and against the test registry's token service.</summary>
public sealed class PushScopeTests
{
    [Theory]
    [InlineData("PATCH", "/v2/team/app/blobs/uploads/abc", "repository:team/app:pull,push")]
    [InlineData("PUT", "/v2/team/app/blobs/uploads/abc?digest=sha256:1", "repository:team/app:pull,push")]
    [InlineData("POST", "/v2/team/app/blobs/uploads/?mount=sha256:1&from=team/base", "repository:team/app:pull,push repository:team/base:pull")]
    [InlineData("POST", "/v2/team/app/blobs/uploads/?mount=sha256%3A1&from=team%2Fbase", "repository:team/app:pull,push repository:team/base:pull")]
    [InlineData("POST", "/v2/team/app/blobs/uploads/?from=team/base", "repository:team/app:pull,push")]
    [InlineData("POST", "/v2/team/app/blobs/uploads/?mount=sha256:1&from=team/app", "repository:team/app:pull,push")]
    [InlineData("POST", "/v2/team/app/blobs/uploads/?mount=sha256:1&from=Bad..Name", "repository:team/app:pull,push")]
    [InlineData("DELETE", "/v2/team/app/manifests/sha256:1", "repository:team/app:delete")]
    public void ScopeFor_PushRequest_NamesWhatItNeeds(string method, string path, string scope)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://registry.example" + path);

        Assert.Equal(scope, AuthenticationHandler.ScopeFor(request));
    }

    [Fact]
    public async Task Push_BearerRegistry_AsksForPushAndMountAndDeleteScopes()
    {
        await using var registry = await PushRegistry.StartAsync(new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer });
        var content = PushRegistry.RandomBytes(7 * 1024 * 1024, 12);
        var uploader = new BlobUploader(registry.Client, new UploadOptions { MonolithicLimit = 1024 * 1024, ChunkSize = 5 * 1024 * 1024 });
        await uploader.UploadAsync(registry.Repository("team/base"), PushRegistry.Describe(content), PushRegistry.Source(content));

        var mounted = await uploader.UploadAsync(registry.Repository("team/app"), PushRegistry.Describe(content), PushRegistry.Source(content), mountFrom: "team/base");
        var manifest = await ManifestPushTests.PushImageAsync(registry, registry.Repository("team/app"), string.Empty);
        var pushed = await registry.Client.PutManifestAsync(Reference.Create(registry.Server.Host, "team/app", "v1"), manifest, MediaTypes.OciManifest);
        await registry.Client.DeleteManifestAsync(registry.Repository("team/app").AtDigest(pushed.Digest));

        Assert.Equal(BlobUploadOutcome.Mounted, mounted.Outcome);
        var scopes = registry.Server.Requests.Where(r => r.Path == "/token").Select(r => Uri.UnescapeDataString(r.Query ?? string.Empty)).ToList();
        Assert.Contains(scopes, q => q.Contains("scope=repository:team/base:pull,push", StringComparison.Ordinal));
        Assert.Contains(scopes, q => q.Contains("scope=repository:team/app:pull,push&", StringComparison.Ordinal) && q.Contains("scope=repository:team/base:pull", StringComparison.Ordinal));
        Assert.Contains(scopes, q => q.Contains("scope=repository:team/app:delete", StringComparison.Ordinal));
        Assert.DoesNotContain(registry.Server.Requests, r => r.Method == "PATCH" && r.StatusCode == 401);
        Assert.False(await registry.Client.ManifestExistsAsync(registry.Repository("team/app").AtDigest(pushed.Digest)));
    }
}
