using System;
using System.Linq;
using System.Text;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Models;

public sealed class ManifestParserTests
{
    private const string D1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string D2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    [Fact]
    public void Parse_OciManifest_ReadsConfigAndLayers()
    {
        var json = Manifests.Oci($$$"""
            [{"mediaType":"{{{MediaTypes.OciLayerGzip}}}","digest":"{{{D1}}}","size":10,"annotations":{"org.opencontainers.image.title":"a.txt"}},
             {"mediaType":"{{{MediaTypes.OciLayerZstd}}}","digest":"{{{D2}}}","size":0,"urls":["https://mirror.example/b"]}]
            """);
        var raw = Encoding.UTF8.GetBytes(json);

        var manifest = Assert.IsType<ImageManifest>(ManifestParser.Parse(raw));

        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);
        Assert.Equal(Digest.Compute(raw), manifest.Digest);
        Assert.Equal(raw.Length, manifest.Size);
        Assert.Equal(raw, manifest.GetRawContent());
        Assert.Equal(MediaTypes.OciConfig, manifest.Config.MediaType);
        Assert.Equal(Manifests.ConfigDigest, manifest.Config.Digest.ToString());
        Assert.Equal(2, manifest.Config.Size);
        Assert.Equal([D1, D2], manifest.Layers.Select(l => l.Digest.ToString()).ToArray());
        Assert.Equal([10L, 0L], manifest.Layers.Select(l => l.Size).ToArray());
        Assert.Equal("a.txt", manifest.Layers[0].Title);
        Assert.Null(manifest.Layers[1].Title);
        Assert.Equal(["https://mirror.example/b"], manifest.Layers[1].Urls);
        Assert.Null(manifest.EffectiveArtifactType);
        Assert.Null(manifest.Subject);
    }

    [Fact]
    public void Parse_DockerManifest_ReadsTheDockerTypes()
    {
        var json = $$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.DockerManifest}}}",
             "config":{"mediaType":"{{{MediaTypes.DockerConfig}}}","digest":"{{{D1}}}","size":1469},
             "layers":[{"mediaType":"{{{MediaTypes.DockerLayerGzip}}}","digest":"{{{D2}}}","size":3208942}]}
            """;

        var manifest = Assert.IsType<ImageManifest>(ManifestParser.Parse(Manifests.Bytes(json), MediaTypes.DockerManifest));

        Assert.Equal(MediaTypes.DockerManifest, manifest.MediaType);
        Assert.Equal(MediaTypes.DockerLayerGzip, Assert.Single(manifest.Layers).MediaType);
        Assert.Null(manifest.EffectiveArtifactType);
    }

    [Fact]
    public void Parse_OciIndex_ReadsPlatformsAndAnnotations()
    {
        var index = Assert.IsType<ImageIndex>(ManifestParser.Parse(Manifests.Bytes(Manifests.OciIndex())));

        Assert.Equal(MediaTypes.OciIndex, index.MediaType);
        Assert.Equal(["linux/amd64", "linux/arm/v7", "linux/arm64/v8", "unknown/unknown"], index.Manifests.Select(m => m.Platform!.ToString()).ToArray());
        Assert.Equal(Manifests.Arm64Digest, index.Manifests[2].Digest.ToString());
        Assert.Equal(501, index.Manifests[2].Size);
        Assert.Equal("attestation-manifest", index.Manifests[3].Annotations["vnd.docker.reference.type"]);
    }

    [Fact]
    public void Parse_DockerManifestList_IsAnIndex()
    {
        var json = $$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.DockerManifestList}}}","manifests":[
              {"mediaType":"{{{MediaTypes.DockerManifest}}}","digest":"{{{D1}}}","size":7143,
               "platform":{"architecture":"ppc64le","os":"linux","os.version":"1","os.features":["f1"]}},
              {"mediaType":"{{{MediaTypes.DockerManifest}}}","digest":"{{{D2}}}","size":7682,"platform":{"architecture":"amd64","os":"windows","os.version":"10.0.17763.1"}}]}
            """;

        var index = Assert.IsType<ImageIndex>(ManifestParser.Parse(Manifests.Bytes(json)));

        Assert.Equal(MediaTypes.DockerManifestList, index.MediaType);
        Assert.Equal("ppc64le", index.Manifests[0].Platform!.Architecture);
        Assert.Equal(["f1"], index.Manifests[0].Platform!.OsFeatures);
        Assert.Equal("10.0.17763.1", index.Manifests[1].Platform!.OsVersion);
    }

    [Fact]
    public void Parse_OciArtifact_ReadsArtifactTypeAndSubject()
    {
        var json = $$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}","artifactType":"application/vnd.example.sbom+json",
             "config":{"mediaType":"{{{MediaTypes.OciEmpty}}}","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2,"data":"e30="},
             "layers":[{"mediaType":"application/spdx+json","digest":"{{{D1}}}","size":1234,"annotations":{"org.opencontainers.image.title":"sbom.json"}}],
             "subject":{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{D2}}}","size":567},
             "annotations":{"org.opencontainers.image.created":"2024-01-01T00:00:00Z"}}
            """;
        var source = Reference.Parse("ghcr.io/org/app:sbom");

        var manifest = Assert.IsType<ImageManifest>(ManifestParser.Parse(Manifests.Bytes(json), source: source));

        Assert.Equal("application/vnd.example.sbom+json", manifest.ArtifactType);
        Assert.Equal("application/vnd.example.sbom+json", manifest.EffectiveArtifactType);
        Assert.Equal(MediaTypes.OciEmpty, manifest.Config.MediaType);
        Assert.Equal(D2, manifest.Subject!.Digest.ToString());
        Assert.Equal(567, manifest.Subject.Size);
        Assert.Equal("sbom.json", manifest.Layers[0].Title);
        Assert.Equal("2024-01-01T00:00:00Z", manifest.Annotations["org.opencontainers.image.created"]);
        Assert.Equal("ghcr.io/org/app", manifest.Source!.ToString());
        Assert.Equal("ghcr.io/org/app", manifest.Layers[0].Source!.ToString());
        Assert.Equal("ghcr.io/org/app", manifest.Subject.Source!.ToString());
    }

    [Fact]
    public void Parse_ArtifactWithoutArtifactType_TakesTheConfigMediaType()
    {
        var json = $$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}",
             "config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"{{{D1}}}","size":2}}
            """;

        var manifest = Assert.IsType<ImageManifest>(ManifestParser.Parse(Manifests.Bytes(json)));

        Assert.Equal("application/vnd.cncf.helm.config.v1+json", manifest.EffectiveArtifactType);
        Assert.Empty(manifest.Layers);
    }

    [Fact]
    public void Parse_IndexWithArtifactTypeAndSubject_ReadsThem()
    {
        var json = $$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","artifactType":"application/vnd.example",
             "manifests":[{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{D1}}}","size":1,"artifactType":"application/vnd.example.sig"}],
             "subject":{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{D2}}}","size":2}}
            """;

        var index = Assert.IsType<ImageIndex>(ManifestParser.Parse(Manifests.Bytes(json)));

        Assert.Equal("application/vnd.example", index.ArtifactType);
        Assert.Equal("application/vnd.example.sig", index.Manifests[0].ArtifactType);
        Assert.Equal(D2, index.Subject!.Digest.ToString());
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"config":{"mediaType":"a","digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","size":1},"layers":[]}""", null, MediaTypes.OciManifest)]
    [InlineData("""{"schemaVersion":2,"manifests":[]}""", null, MediaTypes.OciIndex)]
    [InlineData("""{"schemaVersion":2,"manifests":[]}""", MediaTypes.DockerManifestList + "; charset=utf-8", MediaTypes.DockerManifestList)]
    [InlineData("""{"schemaVersion":2,"manifests":[]}""", "application/json", MediaTypes.OciIndex)]
    public void Parse_NoMediaTypeInDocument_UsesTheHeaderOrTheShape(string json, string? contentType, string expected)
    {
        Assert.Equal(expected, ManifestParser.Parse(Manifests.Bytes(json), contentType).MediaType);
    }

    [Fact]
    public void Parse_GivenDigest_IsKept()
    {
        var digest = Digest.Compute("sha512", Manifests.Bytes(Manifests.Oci()));

        Assert.Equal(digest, ManifestParser.Parse(Manifests.Bytes(Manifests.Oci()), digest: digest).Digest);
    }

    [Theory]
    [InlineData("""{"schemaVersion":1,"name":"library/alpine","tag":"latest","fsLayers":[]}""", null)]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v1+prettyjws"}""", null)]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v1+json"}""", null)]
    [InlineData("""{"schemaVersion":1,"name":"library/alpine"}""", "application/vnd.docker.distribution.manifest.v1+prettyjws")]
    [InlineData("""{"name":"library/alpine"}""", "application/vnd.docker.distribution.manifest.v1+prettyjws")]
    public void Parse_DockerSchema1_IsRefusedAsUnsupported(string json, string? contentType)
    {
        var e = Assert.Throws<ManifestFormatException>(() => ManifestParser.Parse(Manifests.Bytes(json), contentType));

        Assert.True(e.IsUnsupportedMediaType);
        Assert.Contains("schema 1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.example.unknown+json","config":{}}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/json"}""")]
    [InlineData("""{"schemaVersion":2}""")]
    public void Parse_UnknownMediaType_IsRefusedAsUnsupported(string json)
    {
        var e = Assert.Throws<ManifestFormatException>(() => ManifestParser.Parse(Manifests.Bytes(json)));

        Assert.True(e.IsUnsupportedMediaType);
    }

    private static string Oci(string body) => "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciManifest + "\"," + body + "}";

    private static string Index(string body) => "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciIndex + "\"," + body + "}";

    private static string Config(string extra = "") => "\"config\":{\"mediaType\":\"" + MediaTypes.OciConfig + "\",\"digest\":\"" + D1 + "\",\"size\":2" + extra + "}";

    private static string Layer(string fields) => Config() + ",\"layers\":[{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":1}," + fields + "]";

    public static TheoryData<string, string> MalformedManifests => new()
    {
        { "not json", "not valid JSON" },
        { string.Empty, "not valid JSON" },
        { "{\"schemaVersion\":2,", "not valid JSON" },
        { "[]", "not a JSON object" },
        { "\"text\"", "not a JSON object" },
        { "null", "not a JSON object" },
        { "{}", "schemaVersion must be 2" },
        { "{\"schemaVersion\":3}", "schemaVersion must be 2" },
        { "{\"schemaVersion\":\"2\"}", "schemaVersion must be 2" },
        { "{\"schemaVersion\":2,\"mediaType\":5}", "'manifest.mediaType' is not a string" },
        { Oci("\"layers\":[]"), "has no 'config'" },
        { Oci("\"config\":[]"), "'config' is not a descriptor object" },
        { Oci("\"config\":{\"digest\":\"" + D1 + "\",\"size\":1}"), "'config' has no mediaType" },
        { Oci("\"config\":{\"mediaType\":\"x\",\"size\":1}"), "'config' has no digest" },
        { Oci("\"config\":{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\"}"), "'config.size' must be a non-negative integer" },
        { Oci("\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:abc\",\"size\":1}"), "'config.digest' is invalid" },
        { Oci(Layer("{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":-1}")), "'layers[1].size' must be a non-negative integer" },
        { Oci(Layer("{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":1.5}")), "'layers[1].size' must be a non-negative integer" },
        { Oci(Layer("{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":\"1\"}")), "'layers[1].size' must be a non-negative integer" },
        { Oci(Layer("{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":99999999999999999999}")), "'layers[1].size' must be a non-negative integer" },
        { Oci(Layer("{\"mediaType\":\"x\",\"digest\":\"md5:900150983cd24fb0d6963f7d28e17f72\",\"size\":1}")), "'layers[1].digest' is invalid" },
        { Oci(Layer("{\"mediaType\":\"x\",\"digest\":\"SHA256:" + D1[7..] + "\",\"size\":1}")), "'layers[1].digest' is invalid" },
        { Oci(Layer("{\"mediaType\":\"x\",\"digest\":7,\"size\":1}")), "'layers[1].digest' is not a string" },
        { Oci(Layer("{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":1,\"urls\":\"u\"}")), "'layers[1].urls' is not an array" },
        { Oci(Layer("{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":1,\"urls\":[1]}")), "'layers[1].urls' holds a value that is not a string" },
        { Oci(Layer("{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":1,\"annotations\":[]}")), "'layers[1].annotations' is not an object" },
        { Oci(Layer("{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":1,\"annotations\":{\"k\":1}}")), "'layers[1].annotations.k' is not a string" },
        { Oci(Layer("7")), "'layers[1]' is not a descriptor object" },
        { Oci(Config() + ",\"layers\":{}"), "'layers' is not an array" },
        { Oci(Config() + ",\"annotations\":\"a\""), "'manifest.annotations' is not an object" },
        { Oci(Config() + ",\"artifactType\":1"), "'manifest.artifactType' is not a string" },
        { Oci(Config() + ",\"subject\":{\"mediaType\":\"x\"}"), "'subject' has no digest" },
        { "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DockerManifest + "\"," + Config() + "}", "has no 'layers'" },
        { Index("\"x\":1"), "has no 'manifests'" },
        { Index("\"manifests\":{}"), "'manifests' is not an array" },
        { Index("\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":1,\"platform\":\"linux\"}]"), "'manifests[0].platform' is not an object" },
        { Index("\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":1,\"platform\":{\"architecture\":\"amd64\"}}]"), "'manifests[0].platform' has no os" },
        { Index("\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":1,\"platform\":{\"os\":\"linux\"}}]"), "'manifests[0].platform' has no architecture" },
        { Index("\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"" + D1 + "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"os.features\":\"x\"}}]"), "'manifests[0].platform.os.features' is not an array" },
        { string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100)), "not valid JSON" },
        { "{\"schemaVersion\":2,\"x\":" + string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 101), "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(MalformedManifests))]
    public void Parse_MalformedManifest_ThrowsNamingTheProblem(string json, string problem)
    {
        var e = Assert.Throws<ManifestFormatException>(() => ManifestParser.Parse(Manifests.Bytes(json)));

        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeclaredTypeContradictsHeader_Throws()
    {
        var e = Assert.Throws<ManifestFormatException>(() => ManifestParser.Parse(Manifests.Bytes(Manifests.Oci()), MediaTypes.DockerManifest));

        Assert.Contains("registry sent", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"\\uD800\"}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"\\uDC00x\",\"digest\":\"" + D1 + "\",\"size\":1}}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"annotations\":{\"\\uD800\":\"v\"},\"config\":{}}")]
    public void Parse_InvalidSurrogateEscape_ThrowsManifestFormatException(string json)
    {
        Assert.Throws<ManifestFormatException>(() => ManifestParser.Parse(Manifests.Bytes(json)));
    }

    [Fact]
    public void Parse_InvalidUtf8InString_ThrowsManifestFormatException()
    {
        var bytes = Manifests.Bytes(Manifests.Oci());
        var at = Array.IndexOf(bytes, (byte)'v');
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;

        Assert.Throws<ManifestFormatException>(() => ManifestParser.Parse(bytes));
    }

    [Fact]
    public void Parse_SeededMutationsOfAValidManifest_ThrowOnlyManifestFormatException()
    {
        var original = Manifests.Bytes(Manifests.Oci());
        var random = new Random(1234);
        byte[] interesting = [(byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)':', (byte)',', (byte)'-', (byte)'u', (byte)'0', 0x00, 0xC3, 0xFF];
        for (var i = 0; i < 3000; i++)
        {
            var bytes = original.ToList();
            for (var m = random.Next(1, 4); m > 0 && bytes.Count > 0; m--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(3))
                {
                    case 0:
                        bytes.RemoveAt(at);
                        break;
                    case 1:
                        bytes.Insert(at, interesting[random.Next(interesting.Length)]);
                        break;
                    default:
                        bytes[at] = interesting[random.Next(interesting.Length)];
                        break;
                }
            }

            try
            {
                ManifestParser.Parse([.. bytes]);
            }
            catch (ManifestFormatException)
            {
            }
        }
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => ManifestParser.Parse(null!));
    }
}
