using System;
using System.Linq;
using System.Text;
using OciRegistry.Core.Models;

namespace OciRegistry.Core.Tests.Models;

public sealed class ImageConfigDocumentTests
{
    // What docker build writes (moby/docker-image-spec): container_config beside config, nanosecond times.
    private const string Docker = """
        {"architecture":"amd64","author":"ops@example.com","created":"2024-05-06T07:08:09.123456789Z",
         "config":{"User":"app","WorkingDir":"/srv","Entrypoint":["/bin/tini","--"],"Cmd":["serve","--port=80"],
           "Env":["PATH=/usr/bin:/bin","FLAGS=-a=b","EMPTY=","PATH=/opt/bin"],
           "Labels":{"org.opencontainers.image.version":"1.4.2","maintainer":"ops"},
           "ExposedPorts":{"80/tcp":{},"443/tcp":{}},"Volumes":{"/data":{}},"StopSignal":"SIGTERM"},
         "container_config":{"User":"builder","Cmd":["/bin/sh","-c","#(nop) CMD"],"Env":["BUILD=1"],"Labels":{"x":"y"}},
         "history":[{"created":"2024-05-06T07:08:00Z","created_by":"/bin/sh -c #(nop) ADD file:abc in /"},
                    {"created":"2024-05-06T07:08:09Z","created_by":"/bin/sh -c #(nop) ENV PATH=/opt/bin","empty_layer":true,"comment":"set path","author":"ops"}],
         "os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:aaaa","sha256:bbbb"]}}
        """;

    // The OCI form: the same keys, lower-case top level, os.version and variant.
    private const string Oci = """
        {"created":"2024-01-01T00:00:00+02:00","architecture":"arm64","variant":"v8","os":"windows","os.version":"10.0.20348.2113",
         "config":{"Entrypoint":null,"Cmd":["cmd.exe"],"Env":["A=1"],"Labels":null,"ExposedPorts":null,"Volumes":null},
         "rootfs":{"type":"layers","diff_ids":["sha256:cccc"]},"history":[]}
        """;

    private static ImageConfigDocument Parse(string json) => ImageConfigDocument.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_DockerConfig_ReadsConfigAndIgnoresContainerConfig()
    {
        var config = Parse(Docker);

        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234567), config.Created);
        Assert.Equal("ops@example.com", config.Author);
        Assert.Equal(("linux", "amd64", (string?)null, (string?)null), (config.Os, config.Architecture, config.Variant, config.OsVersion));
        Assert.Equal("app", config.User);
        Assert.Equal("/srv", config.WorkingDir);
        Assert.Equal(["/bin/tini", "--"], config.Entrypoint);
        Assert.Equal(["serve", "--port=80"], config.Cmd);
        Assert.Equal(["org.opencontainers.image.version=1.4.2", "maintainer=ops"], config.Labels.Select(p => p.Key + "=" + p.Value));
        Assert.Equal(["80/tcp", "443/tcp"], config.ExposedPorts);
        Assert.Equal(["/data"], config.Volumes);
        Assert.Equal("SIGTERM", config.StopSignal);
        Assert.Equal(["sha256:aaaa", "sha256:bbbb"], config.DiffIds);
        Assert.Equal("linux/amd64", config.Platform!.ToString());
    }

    [Fact]
    public void Parse_Env_SplitsAtFirstEqualsAndKeepsFirstPlaceWithLastValue()
    {
        var env = Parse(Docker).Env;

        Assert.Equal(["PATH", "FLAGS", "EMPTY"], env.Select(p => p.Key));
        Assert.Equal(["/opt/bin", "-a=b", string.Empty], env.Select(p => p.Value));
    }

    [Fact]
    public void Parse_EnvWithoutEquals_HasNullValue()
    {
        var env = Parse("""{"config":{"Env":["TERM","A=1","=odd"]}}""").Env;

        Assert.Equal(["TERM", "A", string.Empty], env.Select(p => p.Key));
        Assert.Equal([null, "1", "odd"], env.Select(p => p.Value));
    }

    [Fact]
    public void Parse_History_ReadsEveryEntry()
    {
        var history = Parse(Docker).History;

        Assert.Equal(2, history.Count);
        Assert.False(history[0].EmptyLayer);
        Assert.Equal("/bin/sh -c #(nop) ADD file:abc in /", history[0].CreatedBy);
        Assert.True(history[1].EmptyLayer);
        Assert.Equal("set path", history[1].Comment);
        Assert.Equal("ops", history[1].Author);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero), history[1].Created);
    }

    [Fact]
    public void Parse_OciConfig_ReadsOsVersionVariantAndTreatsNullAsUnset()
    {
        var config = Parse(Oci);

        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)), config.Created);
        Assert.Equal(("windows", "arm64", "v8", "10.0.20348.2113"), (config.Os, config.Architecture, config.Variant, config.OsVersion));
        Assert.Empty(config.Entrypoint);
        Assert.Equal(["cmd.exe"], config.Cmd);
        Assert.Empty(config.Labels);
        Assert.Empty(config.ExposedPorts);
        Assert.Empty(config.Volumes);
        Assert.Empty(config.History);
        Assert.Equal(["sha256:cccc"], config.DiffIds);
        Assert.Equal("10.0.20348.2113", config.Platform!.OsVersion);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"config":{}}""")]
    [InlineData("""{"config":null,"rootfs":null,"history":null,"created":null}""")]
    [InlineData("""{"os":"linux","unknown":{"deep":[1,2,3]},"config":{"Healthcheck":{"Test":["CMD"]}}}""")]
    public void Parse_MissingFields_AreEmpty(string json)
    {
        var config = Parse(json);

        Assert.Null(config.Created);
        Assert.Null(config.User);
        Assert.Null(config.Architecture);
        Assert.Null(config.Platform);
        Assert.Empty(config.Entrypoint);
        Assert.Empty(config.Cmd);
        Assert.Empty(config.Env);
        Assert.Empty(config.Labels);
        Assert.Empty(config.History);
        Assert.Empty(config.DiffIds);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "should be an object, not an array")]
    [InlineData("\"config\"", "should be an object, not a string")]
    [InlineData("""{"os":7}""", "os should be a string, not a number")]
    [InlineData("""{"created":1704067200}""", "created should be a string")]
    [InlineData("""{"created":"yesterday"}""", "created is not an RFC 3339 time")]
    [InlineData("""{"config":[]}""", "config should be an object, not an array")]
    [InlineData("""{"config":{"Cmd":"/bin/sh"}}""", "config.Cmd should be an array, not a string")]
    [InlineData("""{"config":{"Entrypoint":["/bin/sh",1]}}""", "config.Entrypoint[1] should be a string, not a number")]
    [InlineData("""{"config":{"Env":{"A":"1"}}}""", "config.Env should be an array")]
    [InlineData("""{"config":{"Env":[null]}}""", "config.Env[0] should be a string, not null")]
    [InlineData("""{"config":{"Labels":["a=b"]}}""", "config.Labels should be an object")]
    [InlineData("""{"config":{"Labels":{"a":1}}}""", "config.Labels.a should be a string, not a number")]
    [InlineData("""{"config":{"ExposedPorts":["80/tcp"]}}""", "config.ExposedPorts should be an object")]
    [InlineData("""{"config":{"ExposedPorts":{"80/tcp":true}}}""", "config.ExposedPorts.80/tcp should be an object")]
    [InlineData("""{"config":{"User":0}}""", "config.User should be a string")]
    [InlineData("""{"history":{}}""", "history should be an array")]
    [InlineData("""{"history":["step"]}""", "history[0] should be an object, not a string")]
    [InlineData("""{"history":[{"empty_layer":"yes"}]}""", "history[0].empty_layer should be a boolean, not a string")]
    [InlineData("""{"rootfs":{"diff_ids":"sha256:aaaa"}}""", "rootfs.diff_ids should be an array")]
    [InlineData("""{"author":"\uD800"}""", "not valid Unicode")]
    public void Parse_WrongTypes_FailWithWhereAndWhat(string json, string message)
    {
        var e = Assert.Throws<ImageConfigFormatException>(() => Parse(json));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeepNesting_FailsCleanly()
    {
        var json = """{"config":{"Labels":""" + new string('[', 5000) + new string(']', 5000) + "}}";

        Assert.Throws<ImageConfigFormatException>(() => Parse(json));
    }

    [Fact]
    public void Parse_HugeHistory_ReadsEveryEntryQuickly()
    {
        // 50,000 steps: near the 4 MiB cap the client reads configs under.
        var steps = string.Join(",", Enumerable.Range(0, 50_000).Select(i => $$"""{"created_by":"RUN step {{i}}","empty_layer":{{(i % 2 == 0 ? "true" : "false")}}}"""));
        var bytes = Encoding.UTF8.GetBytes("""{"history":[""" + steps + "]}");
        Assert.True(bytes.Length < Limits.BlobReadBytes);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var config = ImageConfigDocument.Parse(bytes);

        Assert.Equal(50_000, config.History.Count);
        Assert.Equal("RUN step 49999", config.History[^1].CreatedBy);
        Assert.Equal(25_000, config.History.Count(h => h.EmptyLayer));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Parse_DuplicateLabel_LastValueWins()
    {
        var labels = Parse("""{"config":{"Labels":{"a":"1","b":"2","a":"3"}}}""").Labels;

        Assert.Equal(["a=3", "b=2"], labels.Select(p => p.Key + "=" + p.Value));
    }
}
