using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;
using OciRegistry.Core.Tests.Support;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>
/// The client against the test registry with every fault switched on at once, in each auth mode: it must still
/// pull everything, verified, and the request log must show it retried, followed, authenticated and resumed.
/// </summary>
public sealed class ClientThroughFaultsTests
{
    private static readonly NetworkCredential Account = new("puller", "correct horse");

    public static TheoryData<string> AuthModes => ["anonymous", "basic", "bearer", "bearer-anonymous"];

    [Theory]
    [MemberData(nameof(AuthModes))]
    public async Task Pull_EveryFaultAtOnce_StillGetsVerifiedContent(string mode)
    {
        var (options, credential) = Auth(mode);
        await using var registry = await RegistryUnderTest.StartAsync(options, [
            .. FaultPresets.Unreliable,
            new FaultRule(FaultKind.Fail) { StatusCode = 429, RetryAfter = TimeSpan.Zero, Count = 2 },
            new FaultRule(FaultKind.Delay) { Delay = TimeSpan.FromMilliseconds(20), Count = 5 },
            new FaultRule(FaultKind.Stall) { PathPattern = "*/blobs/*", Offset = 5000, Count = 1 },
            new FaultRule(FaultKind.IgnoreRange) { Count = 1 },
            new FaultRule(FaultKind.Trickle) { PathPattern = "*/blobs/*", BytesPerSecond = 16 * 1024 * 1024 },
        ]);
        using var client = Client(registry, credential, idleSeconds: 1);
        var repository = Reference.ParseRepository($"{registry.Server.Host}/{RegistryUnderTest.Repository}");
        var directory = Directory.CreateTempSubdirectory("ociregistry-faults-");
        try
        {
            var byTag = Assert.IsType<ImageManifest>(await client.GetManifestAsync(Reference.Parse(repository + ":v1")));
            var byDigest = await client.GetManifestAsync(repository.AtDigest(registry.ManifestDigest));
            var tags = await ToListAsync(client.ListTagsAsync(RegistryUnderTest.Repository, pageSize: 1));
            var downloader = new BlobDownloader(client);
            var saved = new List<BlobDownloadResult>();
            foreach (var blob in new[] { byTag.Config, byTag.Layers[0] })
            {
                saved.Add(await downloader.DownloadAsync(repository, blob.Digest, blob.Size, Path.Combine(directory.FullName, blob.Digest.Encoded)));
            }

            Assert.Equal((registry.ManifestDigest, registry.ManifestDigest), (byTag.Digest, byDigest.Digest));
            Assert.Equal(["v1", "v2", "v3"], tags);
            Assert.Equal(registry.Config, await File.ReadAllBytesAsync(saved[0].Path));
            Assert.Equal(registry.Blob, await File.ReadAllBytesAsync(saved[1].Path));

            var log = registry.Server.Requests.ToList();
            var fired = log.SelectMany(r => r.Faults).Distinct().ToHashSet();
            Assert.Subset(fired, new HashSet<FaultKind> { FaultKind.Fail, FaultKind.Redirect, FaultKind.CutBody, FaultKind.Delay, FaultKind.Stall, FaultKind.Trickle });
            Assert.DoesNotContain(log, r => r.Origin == TestRegistryOrigin.Cdn && r.HasAuthorization);
            Assert.Contains(log, r => r.Origin == TestRegistryOrigin.Cdn && r.Path == registry.BlobPath && r.Range is not null && r.StatusCode is 200 or 206);
            if (mode != "anonymous")
            {
                Assert.All(log.Where(r => r.Origin == TestRegistryOrigin.Registry && r.StatusCode == 307), r => Assert.True(r.HasAuthorization));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Pull_CutHalfway_ResumesWithARangeFromTheCut()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.CutBody) { PathPattern = "*/blobs/*", Count = 1 });
        using var client = Client(registry, null);
        var repository = Reference.ParseRepository($"{registry.Server.Host}/{RegistryUnderTest.Repository}");
        var target = Path.Combine(Path.GetTempPath(), "ociregistry-cut-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await new BlobDownloader(client).DownloadAsync(repository, registry.BlobDigest, registry.Blob.Length, target);

            Assert.Equal(registry.Blob, await File.ReadAllBytesAsync(result.Path));
            var half = registry.Blob.Length / 2;
            Assert.Equal(
                [(null, 200, (long)half, true), ($"bytes={half}-", 206, registry.Blob.Length - half, false)],
                registry.RequestsFor(registry.BlobPath).Select(r => (r.Range, r.StatusCode, r.BytesSent, r.Aborted)));
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Fact]
    public async Task Pull_CorruptByte_IsDetectedForManifestAndBlob()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.CorruptByte));
        using var client = Client(registry, null);
        var repository = Reference.ParseRepository($"{registry.Server.Host}/{RegistryUnderTest.Repository}");
        var target = Path.Combine(Path.GetTempPath(), "ociregistry-corrupt-" + Guid.NewGuid().ToString("N"));

        await Assert.ThrowsAsync<ContentVerificationException>(() => client.GetManifestAsync(repository.AtDigest(registry.ManifestDigest)));
        await Assert.ThrowsAsync<ContentVerificationException>(() => new BlobDownloader(client).DownloadAsync(repository, registry.BlobDigest, registry.Blob.Length, target));
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Pull_TokenExpiredOnTheServer_FetchesAFreshOne()
    {
        var clock = new ManualTimeProvider();
        var options = new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer, Credential = Account, TokenLifetime = TimeSpan.FromMinutes(1), TimeProvider = clock };
        await using var registry = await RegistryUnderTest.StartAsync(options);
        using var client = Client(registry, Account);
        var reference = Reference.Parse($"{registry.Server.Host}/{RegistryUnderTest.Repository}:v1");
        await client.GetManifestAsync(reference);

        clock.Advance(TimeSpan.FromMinutes(2));
        await client.GetManifestAsync(reference);

        var log = registry.Server.Requests.Select(r => (r.Path, r.StatusCode)).ToList();
        Assert.Equal(
            [(registry.ManifestPath, 401), ("/token", 200), (registry.ManifestPath, 200), (registry.ManifestPath, 401), ("/token", 200), (registry.ManifestPath, 200)],
            log);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("bearer")]
    public async Task Pull_WrongOrMissingCredentials_FailsWithAnAuthenticationError(string mode)
    {
        var (options, _) = Auth(mode);
        await using var registry = await RegistryUnderTest.StartAsync(options);
        var reference = Reference.Parse($"{registry.Server.Host}/{RegistryUnderTest.Repository}:v1");

        foreach (var credential in new[] { new NetworkCredential("puller", "wrong"), null })
        {
            using var client = Client(registry, credential);
            await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetManifestAsync(reference));
        }
    }

    [Fact]
    public async Task ListTags_IdentityTokenFromThePasswordGrant_UsesTheRefreshGrant()
    {
        await using var registry = await RegistryUnderTest.StartAsync(new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer, Credential = Account });
        using var form = new System.Net.Http.FormUrlEncodedContent([new("grant_type", "password"), new("username", Account.UserName), new("password", Account.Password)]);
        using var grant = await registry.Http.PostAsync("/token", form);
        var refresh = System.Text.Json.JsonDocument.Parse(await grant.Content.ReadAsStringAsync()).RootElement.GetProperty("refresh_token").GetString()!;
        using var client = new RegistryClient(registry.Server.Host, new ClientOptions { Credential = RegistryCredential.FromIdentityToken(refresh), UseDockerConfig = false });

        Assert.Equal(["v1", "v2", "v3"], await ToListAsync(client.ListTagsAsync(RegistryUnderTest.Repository)));
        Assert.Equal(2, registry.Server.Requests.Count(r => r.Path == "/token" && r.Method == "POST"));
    }

    private static (TestRegistryOptions Options, NetworkCredential? Credential) Auth(string mode) => mode switch
    {
        "basic" => (new TestRegistryOptions { Authentication = TestRegistryAuthMode.Basic, Credential = Account }, Account),
        "bearer" => (new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer, Credential = Account }, Account),
        "bearer-anonymous" => (new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer, AllowAnonymousPull = true }, null),
        _ => (new TestRegistryOptions(), null),
    };

    // The idle timeout is what ends a stall; short enough for a fast test, long enough that a busy machine
    // answering slowly is not taken for one (which would retry requests the log then shows twice).
    private static RegistryClient Client(RegistryUnderTest registry, NetworkCredential? credential, double idleSeconds = 30) => new(registry.Server.Host, new ClientOptions
    {
        Credential = credential is null ? null : RegistryCredential.FromPassword(credential.UserName, credential.Password),
        UseDockerConfig = false,
        IdleTimeout = TimeSpan.FromSeconds(idleSeconds),
        Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) },
    });

    private static async Task<List<string>> ToListAsync(IAsyncEnumerable<string> items)
    {
        var list = new List<string>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
