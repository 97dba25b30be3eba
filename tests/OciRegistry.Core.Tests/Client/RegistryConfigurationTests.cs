using System;
using System.IO;
using System.Linq;
using OciRegistry.Core.Client;

namespace OciRegistry.Core.Tests.Client;

public sealed class RegistryConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-config-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    [Fact]
    public void SaveThenLoad_KeepsEverySetting()
    {
        var path = PathOf("sub/registries.json");
        RegistryConfiguration.Save(path,
        [
            new RegistrySettings("docker.io") { Mirrors = ["mirror.corp:5000", "https://mirror.gcr.io"] },
            new RegistrySettings("lab:5000") { Insecure = true, Scheme = RegistryScheme.Http, CertificateAuthority = ["/etc/ca.crt"] },
        ]);

        var read = RegistryConfiguration.Load(path);

        Assert.Equal(["docker.io", "lab:5000"], read.Select(r => r.Registry));
        Assert.Equal(["mirror.corp:5000", "https://mirror.gcr.io"], read[0].Mirrors);
        Assert.Null(read[0].Insecure);
        Assert.True(read[1].Insecure);
        Assert.Equal(RegistryScheme.Http, read[1].Scheme);
        Assert.Equal(["/etc/ca.crt"], read[1].CertificateAuthority);
        Assert.Equal(path, read[1].Source);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void Load_NoFile_IsEmpty() => Assert.Empty(RegistryConfiguration.Load(PathOf("none.json")));

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{ "registries": [] }""")]
    [InlineData("""{ "registries": { "docker.io": "mirror" } }""")]
    [InlineData("""{ "registries": { "docker.io": { "mirrors": "one" } } }""")]
    [InlineData("""{ "registries": { "docker.io": { "mirrors": [1] } } }""")]
    [InlineData("""{ "registries": { "docker.io": { "insecure": "yes" } } }""")]
    [InlineData("""{ "registries": { "docker.io": { "scheme": "ftp" } } }""")]
    public void Load_WrongShape_ThrowsNamingTheFile(string json)
    {
        var path = PathOf("bad.json");
        File.WriteAllText(path, json);

        var e = Assert.Throws<RegistryConfigurationException>(() => RegistryConfiguration.Load(path));

        Assert.Equal(path, e.Path);
    }

    [Fact]
    public void For_DockerIo_TakesTheDaemonJsonMirrors_WhenTheFileNamesNone()
    {
        var daemon = PathOf("daemon.json");
        File.WriteAllText(daemon, """{ "registry-mirrors": ["https://mirror.gcr.io", ""] }""");
        var config = PathOf("registries.json");
        RegistryConfiguration.Save(config, [new RegistrySettings("docker.io") { Insecure = false }]);

        var settings = RegistryConfiguration.For("docker.io", config, daemon, [])!;

        Assert.Equal(["https://mirror.gcr.io"], settings.Mirrors);
        Assert.False(settings.Insecure);
        Assert.Null(RegistryConfiguration.For("ghcr.io", config, daemon, []));
    }

    [Fact]
    public async System.Threading.Tasks.Task For_DaemonJsonLinkedToADevice_IsIgnoredWithoutReadingIt()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var daemon = PathOf("daemon.json");
        File.CreateSymbolicLink(daemon, "/dev/zero");

        var read = System.Threading.Tasks.Task.Run(() => RegistryConfiguration.For("docker.io", PathOf("none.json"), daemon, []));

        Assert.Same(read, await System.Threading.Tasks.Task.WhenAny(read, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Null(await read);
    }

    [Fact]
    public void Load_ConfigurationLinkedToADevice_IsAClearError()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = PathOf("registries.json");
        File.CreateSymbolicLink(path, "/dev/zero");

        Assert.Throws<RegistryConfigurationException>(() => RegistryConfiguration.Load(path));
    }

    [Fact]
    public void For_DockerIo_PrefersTheFilesMirrors_AndIgnoresABrokenDaemonJson()
    {
        var daemon = PathOf("daemon.json");
        File.WriteAllText(daemon, "{ broken");
        var config = PathOf("registries.json");
        RegistryConfiguration.Save(config, [new RegistrySettings("docker.io") { Mirrors = ["ours:5000"] }]);

        Assert.Equal(["ours:5000"], RegistryConfiguration.For("docker.io", config, daemon, [])!.Mirrors);
        Assert.Null(RegistryConfiguration.For("docker.io", PathOf("none.json"), daemon, []));
    }
}
