using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.Client;

/// <summary>How a client uses stored credentials: only when challenged, once, and never instead of an explicit one.</summary>
public sealed class ClientCredentialLookupTests : IDisposable
{
    private const string Secret = "Lookup-S3cret-Value";
    private static readonly byte[] Manifest = Encoding.UTF8.GetBytes(
        $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciEmpty}}","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}""");

    private readonly HelperFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task GetManifestAsync_RegistryNeverChallenges_RunsNoHelper()
    {
        if (!HelperFolder.CanRunScripts)
        {
            return;
        }

        _folder.Answering("fake", "user", Secret);
        var network = new FakeNetwork(_ => FakeNetwork.Bytes(Manifest, MediaTypes.OciManifest));
        using var client = network.Client(Stored("""{"credsStore":"fake"}"""));

        await client.GetManifestAsync(Reference.Parse(FakeNetwork.Registry + "/team/app:1"));

        Assert.Equal(0, _folder.Runs("fake"));
    }

    [Fact]
    public async Task GetManifestAsync_BearerChallenge_SendsTheHelpersCredentialToTheRealmOnce()
    {
        if (!HelperFolder.CanRunScripts)
        {
            return;
        }

        _folder.Answering("fake", "ci-user", Secret);
        var network = new FakeNetwork(request => request.RequestUri!.Host == "auth.example"
            ? FakeNetwork.Json("""{"token":"t1","expires_in":300}""")
            : request.Headers.Authorization is null
                ? FakeNetwork.Text(401, "no").With("WWW-Authenticate", "Bearer realm=\"https://auth.example/token\",service=\"registry.example\"")
                : FakeNetwork.Bytes(Manifest, MediaTypes.OciManifest));
        using var client = network.Client(Stored("""{"credHelpers":{"registry.example":"fake"}}"""));

        await client.GetManifestAsync(Reference.Parse(FakeNetwork.Registry + "/team/app:1"));
        await client.GetManifestAsync(Reference.Parse(FakeNetwork.Registry + "/team/other:1"));

        var tokenRequests = network.Requests.Where(r => r.Uri.Host == "auth.example").ToList();
        Assert.Equal(2, tokenRequests.Count);
        Assert.All(tokenRequests, r => Assert.Equal("Basic " + HelperFolder.Base64("ci-user:" + Secret), r.Authorization));
        Assert.Equal(1, _folder.Runs("fake"));
        Assert.Equal("registry.example", _folder.Stdin("fake"));
    }

    [Fact]
    public async Task GetManifestAsync_BasicChallengeAndMissingHelper_WarnsOnceAndFailsAnonymously()
    {
        var warnings = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var network = new FakeNetwork(_ => FakeNetwork.Text(401, "no").With("WWW-Authenticate", "Basic realm=\"x\""));
        using var client = network.Client(o =>
        {
            Stored("""{"credsStore":"nowhere"}""")(o);
            o.Warning = warnings.Enqueue;
        });

        await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetManifestAsync(Reference.Parse(FakeNetwork.Registry + "/team/app:1")));
        await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetManifestAsync(Reference.Parse(FakeNetwork.Registry + "/team/app:2")));

        Assert.Contains("docker-credential-nowhere", Assert.Single(warnings), StringComparison.Ordinal);
        Assert.All(network.Requests, r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task GetManifestAsync_BasicChallenge_UsesTheContainersAuthFileWhenDockerHasNothing()
    {
        var containers = _folder.WriteFile("auth.json", "{\"auths\":{\"registry.example\":{\"auth\":\"" + HelperFolder.Base64("podman:" + Secret) + "\"}}}");
        var network = new FakeNetwork(request => request.Headers.Authorization is null
            ? FakeNetwork.Text(401, "no").With("WWW-Authenticate", "Basic realm=\"x\"")
            : FakeNetwork.Bytes(Manifest, MediaTypes.OciManifest));
        using var client = network.Client(o =>
        {
            Stored("""{"auths":{"other.example":{"auth":"eDp5"}}}""")(o);
            o.ContainersAuthPaths = [containers];
        });

        await client.GetManifestAsync(Reference.Parse(FakeNetwork.Registry + "/team/app:1"));

        Assert.Equal("Basic " + HelperFolder.Base64("podman:" + Secret), network.Requests[^1].Authorization);
    }

    [Fact]
    public async Task GetManifestAsync_ExplicitCredential_NeverRunsAHelper()
    {
        if (!HelperFolder.CanRunScripts)
        {
            return;
        }

        _folder.Answering("fake", "stored", Secret);
        var network = new FakeNetwork(request => request.Headers.Authorization is null
            ? FakeNetwork.Text(401, "no").With("WWW-Authenticate", "Basic realm=\"x\"")
            : FakeNetwork.Bytes(Manifest, MediaTypes.OciManifest));
        using var client = network.Client(o =>
        {
            Stored("""{"credsStore":"fake"}""")(o);
            o.Credential = RegistryCredential.FromPassword("explicit", "pw");
        });

        await client.GetManifestAsync(Reference.Parse(FakeNetwork.Registry + "/team/app:1"));

        Assert.Equal("Basic " + HelperFolder.Base64("explicit:pw"), network.Requests[^1].Authorization);
        Assert.Equal(0, _folder.Runs("fake"));
    }

    [Fact]
    public async Task GetManifestAsync_Lookup_IsTracedWithoutTheSecret()
    {
        if (!HelperFolder.CanRunScripts)
        {
            return;
        }

        _folder.Answering("fake", "ci-user", Secret);
        var trace = new System.Collections.Concurrent.ConcurrentQueue<HttpTraceEvent>();
        var network = new FakeNetwork(request => request.Headers.Authorization is null
            ? FakeNetwork.Text(401, "no").With("WWW-Authenticate", "Basic realm=\"x\"")
            : FakeNetwork.Bytes(Manifest, MediaTypes.OciManifest));
        using var client = network.Client(o =>
        {
            Stored("""{"credsStore":"fake"}""")(o);
            o.Trace = trace.Enqueue;
        });

        await client.GetManifestAsync(Reference.Parse(FakeNetwork.Registry + "/team/app:1"));

        var line = Assert.Single(trace, e => e.Kind == HttpTraceKind.Credentials).ToString();
        Assert.Contains("credentials for registry.example (as ci-user, from docker-credential-fake", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, string.Join("\n", trace), StringComparison.Ordinal);
    }

    private Action<ClientOptions> Stored(string dockerConfig)
    {
        var path = _folder.WriteFile("docker/config.json", dockerConfig);
        return o =>
        {
            o.UseDockerConfig = true;
            o.DockerConfigPath = path;
            o.ContainersAuthPaths = [];
            o.CredentialHelperSearchPath = _folder.Bin;
        };
    }
}
