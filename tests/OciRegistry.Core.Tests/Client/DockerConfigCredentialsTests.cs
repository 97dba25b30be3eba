using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Client;

public sealed class DockerConfigCredentialsTests : IDisposable
{
    private const string Secret = "Sup3rSecret-Value";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ociregistry-tests-" + Guid.NewGuid().ToString("N"));

    public DockerConfigCredentialsTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("index.docker.io", "docker.io")]
    [InlineData("registry-1.docker.io", "docker.io")]
    [InlineData("docker.io", "docker.io")]
    [InlineData("ghcr.io", "ghcr.io")]
    [InlineData("https://ghcr.io", "ghcr.io")]
    [InlineData("http://GHCR.io/v2/", "ghcr.io")]
    [InlineData("localhost:5000", "localhost:5000")]
    public void Find_AuthEntryUnderAnyKeyForm_ReturnsTheCredential(string key, string registry)
    {
        var path = Write(Auths("\"" + key + "\":{\"auth\":\"" + Base64("someone:" + Secret) + "\"}"));

        var credential = DockerConfigCredentials.Find(registry, path);

        Assert.NotNull(credential);
        Assert.Equal("someone", credential!.Username);
        Assert.Equal(Secret, credential.Password);
        Assert.False(credential.IsIdentityToken);
    }

    [Fact]
    public void Find_SeveralRegistries_PicksTheOneAskedFor()
    {
        var path = Write($$$"""
            {"auths":{
              "https://index.docker.io/v1/":{"auth":"{{{Base64("hubuser:hubpass")}}}"},
              "ghcr.io":{"auth":"{{{Base64("ghuser:ghp_token:with:colons")}}}"},
              "myregistry.azurecr.io":{"auth":"{{{Base64("00000000-0000-0000-0000-000000000000:")}}}","identitytoken":"{{{Secret}}}"},
              "quay.io":{"username":"quser","password":"qpass"}
            },"credsStore":"desktop"}
            """);

        Assert.Equal(("hubuser", "hubpass"), Pair(DockerConfigCredentials.Find("docker.io", path)));
        Assert.Equal(("ghuser", "ghp_token:with:colons"), Pair(DockerConfigCredentials.Find("ghcr.io", path)));
        Assert.Equal(("quser", "qpass"), Pair(DockerConfigCredentials.Find("quay.io", path)));
        var azure = DockerConfigCredentials.Find("myregistry.azurecr.io", path)!;
        Assert.True(azure.IsIdentityToken);
        Assert.Equal(Secret, azure.IdentityToken);
        Assert.Equal("00000000-0000-0000-0000-000000000000", azure.Username);
        Assert.Null(DockerConfigCredentials.Find("other.example", path));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("{\"auths\":[]}")]
    [InlineData("{\"auths\":{\"ghcr.io\":\"x\"}}")]
    [InlineData("{\"auths\":{\"ghcr.io\":{}}}")]
    [InlineData("{\"auths\":{\"ghcr.io\":{\"auth\":\"bm9jb2xvbg==\"}}}")]
    [InlineData("{\"credHelpers\":{\"ghcr.io\":\"gh\"}}")]
    public void Find_NoUsableEntry_ReturnsNull(string json)
    {
        Assert.Null(DockerConfigCredentials.Find("ghcr.io", Write(json)));
    }

    [Fact]
    public void Find_MissingFile_ReturnsNull()
    {
        Assert.Null(DockerConfigCredentials.Find("ghcr.io", Path.Combine(_folder, "nope", "config.json")));
    }

    [Theory]
    [InlineData("{\"auths\":{\"ghcr.io\":{\"password\":\"" + Secret + "\",\"auth\":" + Secret + "}}}")]
    [InlineData("{\"auths\":{\"ghcr.io\":{\"password\":\"" + Secret)]
    [InlineData("{\"auths\":{\"ghcr.io\":{\"password\":\"" + Secret + "\"}}} " + Secret)]
    [InlineData("{\"auths\":{\"ghcr.io\":{\"password\":t" + Secret + "}}}")]
    [InlineData("{\"auths\":{\"ghcr.io\":{\"password\":\"" + Secret + "\" \"" + Secret + "\"}}}")]
    [InlineData("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + Secret + "\"}}}")]
    [InlineData("{\"auths\":{\"ghcr.io\":{\"auth\":\"\\uD800" + Secret + "\"}}}")]
    [InlineData("{\"auths\":{\"\\uD800" + Secret + "\":{\"auth\":\"eDp5\"}}}")]
    public void Find_MalformedFile_ThrowsOciExceptionWithoutTheSecrets(string json)
    {
        var path = Write(json);

        var e = Assert.ThrowsAny<OciException>(() => DockerConfigCredentials.Find("ghcr.io", path));

        Assert.DoesNotContain(Secret, e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret[..6], e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Find_OversizedFile_ThrowsOciException()
    {
        var path = Path.Combine(_folder, "config.json");
        File.WriteAllText(path, "{\"auths\":{}}" + new string(' ', (int)Limits.CredentialFileBytes));

        Assert.ThrowsAny<OciException>(() => DockerConfigCredentials.Find("ghcr.io", path));
    }

    [Fact]
    public void Find_NoPath_ReadsDockerConfigFolder()
    {
        var previous = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        try
        {
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", _folder);
            Write(Auths("\"ghcr.io\":{\"auth\":\"" + Base64("u:p") + "\"}"));

            Assert.Equal(Path.Combine(_folder, "config.json"), DockerConfigCredentials.DefaultPath());
            Assert.Equal("u", DockerConfigCredentials.Find("ghcr.io")!.Username);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", previous);
        }
    }

    [Fact]
    public async Task GetManifestAsync_UseDockerConfig_SendsTheStoredCredentialToTheTokenRealm()
    {
        var path = Write(Auths("\"registry.example\":{\"auth\":\"" + Base64("cfguser:" + Secret) + "\"}"));
        var stub = new StubHandler(request => request.RequestUri!.Host == "auth.example"
            ? Responses.Json("""{"token":"t1"}""")
            : request.Headers.Authorization is null
                ? Responses.Challenge("Bearer realm=\"https://auth.example/token\"")
                : Manifests.Response(Manifests.Oci()));
        using var client = TestClient.Create(stub, configure: o =>
        {
            o.UseDockerConfig = true;
            o.DockerConfigPath = path;
        });

        await client.GetManifestAsync(Reference.Parse(TestClient.Registry + "/team/app:1"));

        var token = stub.Requests.Single(r => r.Uri.Host == "auth.example");
        Assert.Equal("Basic " + Base64("cfguser:" + Secret), token.Authorization);
    }

    [Fact]
    public void Constructor_ExplicitCredential_DoesNotReadTheConfig()
    {
        var path = Write("{ not json");

        using var client = new RegistryClient(TestClient.Registry, new ClientOptions
        {
            Credential = RegistryCredential.FromPassword("u", "p"),
            DockerConfigPath = path,
        });
    }

    private string Write(string json)
    {
        var path = Path.Combine(_folder, "config.json");
        File.WriteAllText(path, json, new UTF8Encoding(false));
        return path;
    }

    private static string Auths(string entries) => "{\"auths\":{" + entries + "}}";

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static (string, string?) Pair(RegistryCredential? credential) => (credential!.Username, credential.Password);
}
