using System;
using System.IO;
using System.Linq;
using OciRegistry.Core.Client;

namespace OciRegistry.Core.Tests.Client;

public sealed class ContainersRegistriesConfTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("oci-containers-conf-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Read_RegistryWithMirrors_InOrder_InsecureMirrorsOverHttp()
    {
        var path = Write("registries.conf", """
            unqualified-search-registries = ["docker.io", "quay.io"]

            [[registry]]
            prefix = "docker.io"
            location = "docker.io"   # the real one

            [[registry.mirror]]
            location = "mirror.corp:5000/docker-hub"
            [[registry.mirror]]
            location = "lab-mirror:5000"
            insecure = true
            [[registry.mirror]]
            location = "digest-only.corp"
            pull-from-mirror-only-digest = true

            [[registry]]
            location = "lab.corp:5000"
            insecure = true

            [[registry]]
            prefix = "*.example.com"
            [[registry.mirror]]
            location = "wild.corp"

            [aliases]
            "fedora" = "registry.fedoraproject.org/fedora"
            """);

        var read = ContainersRegistriesConf.Read([path]);

        var docker = read.Single(r => r.Registry == "docker.io");
        Assert.Equal(["mirror.corp:5000/docker-hub", "http://lab-mirror:5000"], docker.Mirrors);
        Assert.Null(docker.Insecure);
        var lab = read.Single(r => r.Registry == "lab.corp:5000");
        Assert.True(lab.Insecure);
        Assert.Empty(lab.Mirrors);
        Assert.DoesNotContain(read, r => r.Registry.Contains('*', StringComparison.Ordinal));
        Assert.Equal(path, docker.Source);
    }

    [Fact]
    public void Read_LaterFilesWin_AndMissingOrBrokenFilesAddNothing()
    {
        var main = Write("a.conf", "[[registry]]\nlocation = \"docker.io\"\n[[registry.mirror]]\nlocation = \"old\"\n");
        var dropIn = Write("b.conf", "[[registry]]\nlocation = \"docker.io\"\n[[registry.mirror]]\nlocation = \"new\"\n");
        var broken = Write("c.conf", "[[registry.mirror]]\nlocation = \"orphan\"\nlocation = unquoted\n[[registry]]\n");

        var read = ContainersRegistriesConf.Read([main, dropIn, broken, Path.Combine(_folder, "none.conf")]);

        Assert.Equal(["new"], Assert.Single(read).Mirrors);
    }

    [Fact]
    public async System.Threading.Tasks.Task Read_ADropInLinkedToADevice_AddsNothingAndNeverReadsIt()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var good = Write("a.conf", "[[registry]]\nlocation = \"docker.io\"\n[[registry.mirror]]\nlocation = \"m\"\n");
        var planted = Path.Combine(_folder, "z.conf");
        File.CreateSymbolicLink(planted, "/dev/zero");

        var read = System.Threading.Tasks.Task.Run(() => ContainersRegistriesConf.Read([good, planted]));

        Assert.Same(read, await System.Threading.Tasks.Task.WhenAny(read, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal(["m"], Assert.Single(await read).Mirrors);
    }

    [Fact]
    public void DefaultFiles_FollowTheOverride_AndItsDropIns()
    {
        var main = Write("registries.conf", string.Empty);
        Directory.CreateDirectory(main + ".d");
        File.WriteAllText(Path.Combine(main + ".d", "10-mirrors.conf"), string.Empty);
        var saved = Environment.GetEnvironmentVariable(ContainersRegistriesConf.OverrideVariable);
        try
        {
            Environment.SetEnvironmentVariable(ContainersRegistriesConf.OverrideVariable, main);
            Assert.Equal([main, Path.Combine(main + ".d", "10-mirrors.conf")], ContainersRegistriesConf.DefaultFiles());
        }
        finally
        {
            Environment.SetEnvironmentVariable(ContainersRegistriesConf.OverrideVariable, saved);
        }
    }
}
