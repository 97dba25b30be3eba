using System.Linq;
using System.Net;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;
using OciRegistry.Core.Tests.TestRegistry;

namespace OciRegistry.Core.Tests.Client;

/// <summary>Basic authentication when several requests meet the challenge at once, against a real test registry.</summary>
public sealed class ConcurrentBasicAuthTests
{
    [Fact]
    public async Task ParallelRequests_AllChallengedForBasic_AllSucceed()
    {
        var account = new NetworkCredential("tester", "s3cret");
        await using var registry = await RegistryUnderTest.StartAsync(new TestRegistryOptions { Authentication = TestRegistryAuthMode.Basic, Credential = account });
        using var client = new RegistryClient(registry.Server.Host, new ClientOptions
        {
            UseDockerConfig = false,
            Credential = RegistryCredential.FromPassword(account.UserName, account.Password),
        });
        var reference = Reference.Parse($"{registry.Server.Host}/{RegistryUnderTest.Repository}:v1");

        var manifests = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.GetManifestAsync(reference)));

        Assert.All(manifests, m => Assert.Equal(registry.ManifestDigest, m.Digest));
        Assert.DoesNotContain(registry.Server.Requests, r => r.StatusCode == 401 && r.AuthorizationScheme == "Basic");
    }
}
