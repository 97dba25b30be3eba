using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;

namespace OciRegistry.Core.Tests.Client;

/// <summary>
/// The stored-credential lookup: Docker's config with credential helpers, then containers auth files, then none.
/// Tests that run fake helpers return early where no <c>/bin/sh</c> exists.
/// </summary>
public sealed class StoredCredentialsTests : IDisposable
{
    private const string Secret = "Helper-S3cret-Value";

    private readonly HelperFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task FindAsync_CredHelpersEntry_RunsThatHelperWithTheHostOnStdin()
    {
        if (!HelperFolder.CanRunScripts)
        {
            return;
        }

        _folder.Answering("fake", "ci-user", Secret);
        var config = Config("""{"credHelpers":{"ghcr.io":"fake"}}""");

        var result = await Lookup("ghcr.io", config).FindAsync(default);

        Assert.Equal("ci-user", result.Credential!.Username);
        Assert.Equal(Secret, result.Credential.Password);
        Assert.Equal("get", _folder.Args("fake"));
        Assert.Equal("ghcr.io", _folder.Stdin("fake"));
        Assert.Contains("docker-credential-fake", result.Source, StringComparison.Ordinal);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task FindAsync_DockerHub_PassesTheLegacyIndexUrl()
    {
        if (!HelperFolder.CanRunScripts)
        {
            return;
        }

        _folder.Answering("store", "hubuser", Secret);
        var config = Config("""{"credsStore":"store"}""");

        var result = await Lookup("docker.io", config).FindAsync(default);

        Assert.Equal("hubuser", result.Credential!.Username);
        Assert.Equal("https://index.docker.io/v1/", _folder.Stdin("store"));
    }

    [Fact]
    public async Task FindAsync_TokenUsername_MakesAnIdentityToken()
    {
        if (!HelperFolder.CanRunScripts)
        {
            return;
        }

        _folder.Answering("acr", "<token>", Secret);

        var result = await Lookup("x.azurecr.io", Config("""{"credHelpers":{"x.azurecr.io":"acr"}}""")).FindAsync(default);

        Assert.True(result.Credential!.IsIdentityToken);
        Assert.Equal(Secret, result.Credential.IdentityToken);
    }

    [Fact]
    public async Task FindAsync_CredHelpersBeatCredsStoreAndCredsStoreBeatsAuths()
    {
        if (!HelperFolder.CanRunScripts)
        {
            return;
        }

        _folder.Answering("specific", "from-specific", "a");
        _folder.Answering("default", "from-default", "b");
        var config = Config("{\"credHelpers\":{\"ghcr.io\":\"specific\"},\"credsStore\":\"default\"," +
            "\"auths\":{\"ghcr.io\":{\"auth\":\"" + HelperFolder.Base64("from-auths:c") + "\"},\"quay.io\":{\"auth\":\"" + HelperFolder.Base64("from-auths:c") + "\"}}}");

        Assert.Equal("from-specific", (await Lookup("ghcr.io", config).FindAsync(default)).Credential!.Username);
        Assert.Equal("from-default", (await Lookup("quay.io", config).FindAsync(default)).Credential!.Username);
        Assert.Equal(1, _folder.Runs("specific"));
        Assert.Equal(1, _folder.Runs("default"));
    }

    [Fact]
    public async Task FindAsync_NoHelpers_UsesTheAuthsEntry()
    {
        var config = Config(Auths("ghcr.io", "u:" + Secret));

        var result = await Lookup("ghcr.io", config).FindAsync(default);

        Assert.Equal("u", result.Credential!.Username);
        Assert.Contains(config, result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_MissingHelper_WarnsAndFallsBackToTheContainersAuthFile()
    {
        var config = Config("""{"credsStore":"desktop"}""");
        var containers = _folder.WriteFile("containers/auth.json", Auths("ghcr.io", "podman-user:" + Secret));

        var result = await Lookup("ghcr.io", config, containers).FindAsync(default);

        Assert.Equal("podman-user", result.Credential!.Username);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("docker-credential-desktop", warning, StringComparison.Ordinal);
        Assert.Contains("not found on the PATH", warning, StringComparison.Ordinal);
        Assert.Contains(containers, result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_HelperHasNothing_WarnsAndGoesAnonymous()
    {
        if (!HelperFolder.CanRunScripts)
        {
            return;
        }

        _folder.Helper("empty", "echo 'credentials not found in native keychain'; exit 1");

        var result = await Lookup("ghcr.io", Config("""{"credsStore":"empty"}""")).FindAsync(default);

        Assert.Null(result.Credential);
        Assert.Contains("has no credentials for ghcr.io", Assert.Single(result.Warnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo '" + Secret + "'; echo '" + Secret + "' >&2; exit 3", "exited with code 3")]
    [InlineData("printf '%s' '{\"Username\":\"u\",\"Secret\":\"" + Secret + "'", "not valid JSON")]
    [InlineData("printf '%s' '[\"" + Secret + "\"]'", "not a JSON object")]
    [InlineData("printf '%s' '{\"Username\":\"a:b\",\"Secret\":\"" + Secret + "\"}'", "no usable user name")]
    [InlineData("head -c 1100000 /dev/zero", "more than 1048576 bytes")]
    [InlineData("yes " + Secret + " | head -c 2000000", "more than 1048576 bytes")]
    public async Task FindAsync_HelperFails_WarnsWithoutRepeatingItsOutput(string body, string expected)
    {
        if (!HelperFolder.CanRunScripts)
        {
            return;
        }

        _folder.Helper("broken", body);

        var result = await Lookup("ghcr.io", Config("""{"credHelpers":{"ghcr.io":"broken"}}""")).FindAsync(default);

        Assert.Null(result.Credential);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains(expected, warning, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret[..8], warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_HelperHangs_IsKilledAtTheTimeLimit()
    {
        if (!HelperFolder.CanRunScripts)
        {
            return;
        }

        _folder.Helper("hang", "sleep 30");
        var clock = Stopwatch.StartNew();

        var result = await Lookup("ghcr.io", Config("""{"credsStore":"hang"}"""), timeout: TimeSpan.FromMilliseconds(500)).FindAsync(default);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Null(result.Credential);
        Assert.Contains("did not answer within 0.5 s", Assert.Single(result.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_Cancelled_StopsTheHelperAndThrows()
    {
        if (!HelperFolder.CanRunScripts)
        {
            return;
        }

        _folder.Helper("hang", "sleep 30");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Lookup("ghcr.io", Config("""{"credsStore":"hang"}""")).FindAsync(cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("a/b")]
    [InlineData("c:x")]
    [InlineData("back\\slash")]
    public async Task FindAsync_HelperNameWithAPath_IsNotRun(string name)
    {
        var result = await Lookup("ghcr.io", Config("{\"credsStore\":\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal) + "\"}")).FindAsync(default);

        Assert.Null(result.Credential);
        Assert.Contains("not a plain helper name", Assert.Single(result.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_ContainersFiles_FirstWithAnEntryWinsAndNamespacedKeysAreSkipped()
    {
        var first = _folder.WriteFile("first.json", Auths("quay.io/team", "team-only:x"));
        var second = _folder.WriteFile("second.json", Auths("quay.io", "whole-registry:x"));
        var third = _folder.WriteFile("third.json", Auths("quay.io", "later:x"));

        var result = await new StoredCredentials("quay.io", Path.Combine(_folder.Root, "none.json"), [Path.Combine(_folder.Root, "missing.json"), first, second, third], TimeSpan.FromSeconds(5), _folder.Bin)
            .FindAsync(default);

        Assert.Equal("whole-registry", result.Credential!.Username);
    }

    [Fact]
    public async Task FindAsync_NothingAnywhere_IsAnonymousWithoutWarnings()
    {
        var result = await Lookup("ghcr.io", Path.Combine(_folder.Root, "no-config.json")).FindAsync(default);

        Assert.Null(result.Credential);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("{\"credsStore\":\"x\",\"auths\":{\"ghcr.io\":{\"password\":t" + Secret + "}}}")]
    [InlineData("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + Secret + "\"}}}")]
    public async Task FindAsync_MalformedContainersFile_FailsWithoutTheSecret(string json)
    {
        var containers = _folder.WriteFile("auth.json", json);

        var e = await Assert.ThrowsAnyAsync<OciException>(() => Lookup("ghcr.io", Path.Combine(_folder.Root, "none.json"), containers).FindAsync(default));

        Assert.Contains("containers auth file", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret[..8], e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultContainersAuthPaths_FollowTheEnvironmentInPodmansOrder()
    {
        var paths = StoredCredentials.DefaultContainersAuthPaths();

        Assert.EndsWith(Path.Combine("containers", "auth.json"), paths[^1], StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("REGISTRY_AUTH_FILE") is { Length: > 0 } file)
        {
            Assert.Equal(file, paths[0]);
        }
    }

    private static string Auths(string key, string userAndPassword) =>
        "{\"auths\":{\"" + key + "\":{\"auth\":\"" + HelperFolder.Base64(userAndPassword) + "\"}}}";

    private string Config(string json) => _folder.WriteFile("docker/config.json", json);

    private StoredCredentials Lookup(string registry, string config, string? containers = null, TimeSpan? timeout = null) =>
        new(registry, config, containers is null ? [] : [containers], timeout ?? TimeSpan.FromSeconds(10), _folder.Bin);
}
