using System;
using System.Collections.Generic;
using System.Text;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.Models;

public sealed class ArtifactManifestWriterTests
{
    private static Descriptor Layer(string title, string content) => new()
    {
        MediaType = "text/plain",
        Digest = Digest.Compute(Encoding.UTF8.GetBytes(content)),
        Size = content.Length,
        Annotations = new Dictionary<string, string> { [Descriptor.TitleAnnotation] = title },
    };

    [Fact]
    public void Write_ProducesAnArtifactTheParserReadsBack()
    {
        var subject = new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Digest.Compute([1, 2, 3]), Size = 3 };
        var raw = ArtifactManifestWriter.Write(
            "application/vnd.example+json",
            ArtifactManifestWriter.EmptyConfig,
            [Layer("a.txt", "a"), Layer("b.txt", "bb")],
            subject,
            new Dictionary<string, string> { ["z"] = "1", ["a"] = "2" });

        var manifest = Assert.IsType<ImageManifest>(ManifestParser.Parse(raw));
        Assert.Equal("application/vnd.example+json", manifest.ArtifactType);
        Assert.Equal(MediaTypes.OciEmpty, manifest.Config.MediaType);
        Assert.Equal("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", manifest.Config.Digest.ToString());
        Assert.Equal("a.txt", manifest.Layers[0].Title);
        Assert.Equal("b.txt", manifest.Layers[1].Title);
        Assert.Equal(subject.Digest, manifest.Subject!.Digest);
        Assert.Equal(Digest.Compute(raw), manifest.Digest);
        var text = Encoding.UTF8.GetString(raw);
        Assert.Contains("\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("\"a\":\"2\"", StringComparison.Ordinal) < text.IndexOf("\"z\":\"1\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_WithoutSubjectOrAnnotations_LeavesThemOut()
    {
        var text = Encoding.UTF8.GetString(ArtifactManifestWriter.Write("application/x", ArtifactManifestWriter.EmptyConfig, [Layer("a", "a")], null, null));
        Assert.DoesNotContain("subject", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"annotations\":{\"", text.Substring(text.IndexOf("]", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_RefusesTheEmptyConfigWithoutAnArtifactType() =>
        Assert.Throws<ArgumentException>(() => ArtifactManifestWriter.Write(null, ArtifactManifestWriter.EmptyConfig, [], null, null));
}
