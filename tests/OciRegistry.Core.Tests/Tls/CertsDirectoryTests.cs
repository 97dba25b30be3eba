using System;
using System.IO;
using OciRegistry.Core.Tls;

namespace OciRegistry.Core.Tests.Tls;

public sealed class CertsDirectoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("oci-certs.d-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Read_FolderForHostAndPort_GivesItsAuthorities_AndWarnsAboutABrokenFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "registry.corp:5000")).FullName;
        File.WriteAllText(Path.Combine(folder, "ca.crt"), TestPki.Pem(TestPki.Authority("Corp CA")));
        File.WriteAllText(Path.Combine(folder, "broken.crt"), "garbage");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "ignored");
        var warnings = new System.Collections.Generic.List<string>();

        var (authorities, client, folders) = CertsDirectory.Read("registry.corp:5000", [_root], warnings.Add);

        Assert.Equal("CN=Corp CA", Assert.Single(authorities).Subject);
        Assert.Null(client);
        Assert.Equal(folder, Assert.Single(folders));
        Assert.Contains(warnings, w => w.Contains("broken.crt", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_OtherRegistry_GivesNothing()
    {
        Directory.CreateDirectory(Path.Combine(_root, "registry.corp:5000"));

        var (authorities, client, folders) = CertsDirectory.Read("registry.corp", [_root], null);

        Assert.Empty(authorities);
        Assert.Null(client);
        Assert.Empty(folders);
    }

    [Fact]
    public void Read_CertWithoutKey_IsNoClientCertificate()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "registry.corp")).FullName;
        File.WriteAllText(Path.Combine(folder, "client.cert"), TestPki.Pem(TestPki.Authority("Lonely")));

        Assert.Null(CertsDirectory.Read("registry.corp", [_root], null).ClientCertificate);
    }

    [Fact]
    public void DefaultRoots_FollowTheOverrideVariable()
    {
        var saved = Environment.GetEnvironmentVariable(CertsDirectory.OverrideVariable);
        try
        {
            Environment.SetEnvironmentVariable(CertsDirectory.OverrideVariable, "/a" + Path.PathSeparator + "/b");
            Assert.Equal(["/a", "/b"], CertsDirectory.DefaultRoots());
        }
        finally
        {
            Environment.SetEnvironmentVariable(CertsDirectory.OverrideVariable, saved);
        }
    }
}
