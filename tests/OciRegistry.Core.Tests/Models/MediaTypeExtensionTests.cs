using OciRegistry.Core.Models;

namespace OciRegistry.Core.Tests.Models;

public sealed class MediaTypeExtensionTests
{
    [Theory]
    [InlineData("application/vnd.oci.image.layer.v1.tar", ".tar")]
    [InlineData("application/vnd.oci.image.layer.v1.tar+gzip", ".tar.gz")]
    [InlineData("application/vnd.oci.image.layer.v1.tar+zstd", ".tar.zst")]
    [InlineData("application/vnd.docker.image.rootfs.diff.tar.gzip", ".tar.gz")]
    [InlineData("application/vnd.oci.image.config.v1+json", ".json")]
    [InlineData("application/vnd.docker.container.image.v1+json", ".json")]
    [InlineData("application/vnd.cncf.helm.chart.content.v1.tar+gzip", ".tar.gz")]
    [InlineData("application/vnd.acme.rocket.docs.layer.v1.tar", ".tar")]
    [InlineData("application/vnd.in-toto+json", ".json")]
    [InlineData("application/vnd.acme.data+gzip", ".gz")]
    [InlineData("text/plain", ".txt")]
    [InlineData("text/plain; charset=utf-8", ".txt")]
    [InlineData("TEXT/MARKDOWN", ".md")]
    [InlineData("application/wasm", ".wasm")]
    [InlineData("application/octet-stream", "")]
    [InlineData("application/vnd.unknown.thing", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("+json", "")]
    public void For_GivesTheExtensionOfTheMediaType(string? mediaType, string expected) =>
        Assert.Equal(expected, MediaTypeExtension.For(mediaType));

    [Theory]
    [InlineData("application/x../../etc+json")]
    [InlineData("application/evil/../..")]
    public void For_NeverEchoesTheMediaType_OnlyAKnownExtension(string mediaType) =>
        Assert.DoesNotContain("/", MediaTypeExtension.For(mediaType), System.StringComparison.Ordinal);

    [Theory]
    [InlineData("notes.txt", "text/plain")]
    [InlineData("README.MD", "text/markdown")]
    [InlineData("rootfs.tar.gz", "application/vnd.oci.image.layer.v1.tar+gzip")]
    [InlineData("rootfs.tar", "application/vnd.oci.image.layer.v1.tar")]
    [InlineData("data.gz", "application/gzip")]
    [InlineData("sbom.json", "application/json")]
    [InlineData("chart.yaml", "application/yaml")]
    [InlineData("tool", null)]
    [InlineData("archive.7z", null)]
    [InlineData(".txt", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void MediaTypeFor_GivesTheTypeOfTheTableForTheLongestExtension(string? fileName, string? expected) =>
        Assert.Equal(expected, MediaTypeExtension.MediaTypeFor(fileName));

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("rootfs.tar.gz")]
    [InlineData("logo.svg")]
    public void MediaTypeFor_RoundTripsThroughFor(string fileName) =>
        Assert.EndsWith(MediaTypeExtension.For(MediaTypeExtension.MediaTypeFor(fileName)), fileName, System.StringComparison.Ordinal);
}
