using OciRegistry.Core.Archive;

namespace OciRegistry.Core.Tests.Archive;

public sealed class LayerMediaTypeTests
{
    [Theory]
    [InlineData("application/vnd.oci.image.layer.v1.tar", LayerMediaKind.Tar)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+gzip", LayerMediaKind.Tar)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+zstd", LayerMediaKind.Tar)]
    [InlineData("application/vnd.docker.image.rootfs.diff.tar.gzip", LayerMediaKind.Tar)]
    [InlineData("application/vnd.docker.image.rootfs.diff.tar", LayerMediaKind.Tar)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+gzip; charset=binary", LayerMediaKind.Tar)]
    [InlineData(" Application/VND.OCI.Image.Layer.v1.Tar+GZIP ", LayerMediaKind.Tar)]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar", LayerMediaKind.NonDistributable)]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", LayerMediaKind.NonDistributable)]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", LayerMediaKind.NonDistributable)]
    [InlineData("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", LayerMediaKind.NonDistributable)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+encrypted", LayerMediaKind.Encrypted)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+gzip+encrypted", LayerMediaKind.Encrypted)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+zstd+encrypted", LayerMediaKind.Encrypted)]
    [InlineData("application/vnd.docker.image.rootfs.diff.tar.gzip+encrypted", LayerMediaKind.Encrypted)]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip+encrypted", LayerMediaKind.Encrypted)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+gzip+encrypted; x=y", LayerMediaKind.Encrypted)]
    [InlineData("application/vnd.oci.image.config.v1+json", LayerMediaKind.Unknown)]
    [InlineData("application/vnd.cncf.helm.chart.content.v1.tar+gzip", LayerMediaKind.Unknown)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+bzip2", LayerMediaKind.Unknown)]
    [InlineData("application/json+encrypted", LayerMediaKind.Unknown)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+encrypted+gzip", LayerMediaKind.Unknown)]
    [InlineData("", LayerMediaKind.Unknown)]
    [InlineData(";", LayerMediaKind.Unknown)]
    public void Classify_SortsLayerTypes(string mediaType, LayerMediaKind expected)
    {
        Assert.Equal(expected, LayerMediaType.Classify(mediaType));
    }
}
