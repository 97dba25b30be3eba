using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.TestRegistry;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.Client;

/// <summary>
/// A body that breaks off (cut, reset or silent) is as transient as a failed request, for everything the client
/// reads into memory: a manifest, a config, a token, a tag page. One broken answer, then a whole one, must succeed,
/// and the request log must show the second request.
/// </summary>
public sealed class BrokenBodyRetryTests
{
    public static TheoryData<string> BodyFaults => ["CutBody", "Stall"];

    [Theory]
    [MemberData(nameof(BodyFaults))]
    public async Task GetManifestAsync_BodyBreaksOffOnce_IsReadAgain(string fault)
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, BodyFault(fault, "*/manifests/*"));
        using var client = Client(registry);

        var manifest = await client.GetManifestAsync(Reference.Parse($"{registry.Server.Host}/{RegistryUnderTest.Repository}:v1"));

        Assert.Equal(registry.ManifestDigest, manifest.Digest);
        Assert.Equal(2, registry.RequestsFor(registry.ManifestPath).Length);
    }

    [Theory]
    [MemberData(nameof(BodyFaults))]
    public async Task ReadBlobAsync_ConfigBreaksOffOnce_IsReadAgain(string fault)
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, BodyFault(fault, "*/blobs/*", offset: 1));
        using var client = Client(registry);
        var repository = Reference.ParseRepository($"{registry.Server.Host}/{RegistryUnderTest.Repository}");

        var config = await client.ReadBlobAsync(repository, registry.ConfigDigest, expectedSize: registry.Config.Length);

        Assert.Equal(registry.Config, config);
        Assert.Equal(2, registry.Server.Requests.Count(r => r.Path.EndsWith(registry.ConfigDigest.ToString(), StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(BodyFaults))]
    public async Task ListTagsAsync_PageBreaksOffOnce_IsReadAgain(string fault)
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, BodyFault(fault, "*/tags/list*"));
        using var client = Client(registry);

        var tags = new List<string>();
        await foreach (var tag in client.ListTagsAsync(RegistryUnderTest.Repository))
        {
            tags.Add(tag);
        }

        Assert.Contains("v1", tags);
        Assert.Equal(2, registry.Server.Requests.Count(r => r.Path.EndsWith("/tags/list", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(BodyFaults))]
    public async Task Token_ResponseBreaksOffOnce_IsFetchedAgain(string fault)
    {
        var options = new TestRegistryOptions { Authentication = TestRegistryAuthMode.Bearer, AllowAnonymousPull = true };
        await using var registry = await RegistryUnderTest.StartAsync(options, BodyFault(fault, "/token*"));
        using var client = Client(registry);

        var manifest = await client.GetManifestAsync(Reference.Parse($"{registry.Server.Host}/{RegistryUnderTest.Repository}:v1"));

        Assert.Equal(registry.ManifestDigest, manifest.Digest);
        Assert.Equal(2, registry.Server.Requests.Count(r => r.Path == "/token"));
    }

    [Fact]
    public async Task GetManifestAsync_BodyBreaksOffEveryTime_GivesUpAfterTheRetries()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.CutBody) { PathPattern = "*/manifests/*", Offset = 10 });
        using var client = Client(registry);

        await Assert.ThrowsAnyAsync<System.IO.IOException>(() => client.GetManifestAsync(Reference.Parse($"{registry.Server.Host}/{RegistryUnderTest.Repository}:v1")));

        Assert.Equal(1 + 5, registry.RequestsFor(registry.ManifestPath).Length);
    }

    // Cut a few bytes in (the config is the two bytes "{}"), or go silent there (past the client's one-second idle
    // limit), on the first request only.
    private static FaultRule BodyFault(string kind, string path, long offset = 10) =>
        new((FaultKind)Enum.Parse(typeof(FaultKind), kind)) { PathPattern = path, Offset = offset, Count = 1 };

    private static RegistryClient Client(RegistryUnderTest registry) => new(registry.Server.Host, new ClientOptions
    {
        UseDockerConfig = false,
        IdleTimeout = TimeSpan.FromSeconds(1),
        Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) },
    });
}
