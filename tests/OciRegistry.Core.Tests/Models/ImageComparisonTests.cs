using System.Linq;
using System.Text;
using OciRegistry.Core.Models;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Models;

public sealed class ImageComparisonTests
{
    private const string A = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string B = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string C = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

    private static ImageManifest Manifest(params (string Digest, long Size)[] layers) =>
        (ImageManifest)ManifestParser.Parse(Manifests.Bytes(Manifests.Oci(
            "[" + string.Join(",", layers.Select(l => $$"""{"mediaType":"{{MediaTypes.OciLayerGzip}}","digest":"{{l.Digest}}","size":{{l.Size}}}""")) + "]")));

    private static ImageConfigDocument Config(string json) => ImageConfigDocument.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Compare_Layers_ByDigestWithPlacesAndSizes()
    {
        var empty = Config("{}");

        var rows = ImageComparison.Compare((Manifest((A, 10), (B, 20)), empty), (Manifest((A, 10), (C, 35)), empty), includeEqual: true);

        var layers = rows.Where(r => r.Kind == ImageDifferenceKind.Layer).Select(r => (r.Name, r.Side, r.Position, r.DifferencePosition, r.ReferenceValue, r.DifferenceValue)).ToList();
        Assert.Equal(
            [(A, DifferenceSide.Equal, 0, 0, 10L, 10L), (B, DifferenceSide.ReferenceOnly, 1, null, 20L, null), (C, DifferenceSide.DifferenceOnly, 1, 1, null, 35L)],
            layers.Select(l => (l.Name, l.Side, l.Position, l.DifferencePosition, (object?)l.ReferenceValue, (object?)l.DifferenceValue)).ToList());
        var size = Assert.Single(rows, r => r.Kind == ImageDifferenceKind.Size);
        Assert.Equal((DifferenceSide.Changed, 32L, 47L), (size.Side, size.ReferenceValue, size.DifferenceValue));
    }

    [Fact]
    public void Compare_WithoutIncludeEqual_LeavesOutWhatIsTheSame()
    {
        var config = Config("""{"os":"linux","config":{"User":"app"}}""");
        var manifest = Manifest((A, 10));

        Assert.Empty(ImageComparison.Compare((manifest, config), (manifest, config)));
        Assert.All(ImageComparison.Compare((manifest, config), (manifest, config), includeEqual: true), r => Assert.Equal(DifferenceSide.Equal, r.Side));
    }

    [Fact]
    public void Compare_ConfigFields_EachEnvAndLabelOnItsOwn()
    {
        var before = Config("""{"config":{"User":"root","Cmd":["a"],"Env":["PATH=/bin","OLD=1","SAME=x"],"Labels":{"v":"1","gone":"y"},"ExposedPorts":{"80/tcp":{},"443/tcp":{}}}}""");
        var after = Config("""{"config":{"User":"app","Cmd":["a","b"],"Env":["SAME=x","PATH=/usr/bin","NEW"],"Labels":{"v":"2"},"ExposedPorts":{"443/tcp":{},"80/tcp":{}},"StopSignal":"SIGINT"}}""");
        var manifest = Manifest((A, 10));

        var rows = ImageComparison.Compare((manifest, before), (manifest, after)).Select(r => (r.Name, r.Side)).ToList();

        Assert.Equal(
            [
                ("User", DifferenceSide.Changed), ("Cmd", DifferenceSide.Changed),
                ("Env:PATH", DifferenceSide.Changed), ("Env:OLD", DifferenceSide.ReferenceOnly), ("Env:NEW", DifferenceSide.DifferenceOnly),
                ("Label:v", DifferenceSide.Changed), ("Label:gone", DifferenceSide.ReferenceOnly),
                ("StopSignal", DifferenceSide.DifferenceOnly),
            ],
            rows);
    }

    [Fact]
    public void Compare_RepeatedLayer_CountsEachOccurrence()
    {
        var empty = Config("{}");

        var rows = ImageComparison.Compare((Manifest((A, 1), (A, 1)), empty), (Manifest((A, 1)), empty));

        var removed = Assert.Single(rows, r => r.Kind == ImageDifferenceKind.Layer);
        Assert.Equal((DifferenceSide.ReferenceOnly, 1), (removed.Side, removed.Position));
    }

    [Fact]
    public void PairPlatforms_PairsByPlatformAndKeepsOneSidedOnes()
    {
        var index = (ImageIndex)ManifestParser.Parse(Manifests.Bytes(Manifests.OciIndex()));
        var other = (ImageIndex)ManifestParser.Parse(Manifests.Bytes($$$"""
            {"schemaVersion":2,"mediaType":"{{{MediaTypes.OciIndex}}}","manifests":[
              {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{C}}}","size":5,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
              {"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{B}}}","size":5,"platform":{"os":"linux","architecture":"s390x"}}]}
            """));

        var pairs = ImageComparison.PairPlatforms(index, other).Select(p => (p.Platform, p.Reference is not null, p.Difference is not null)).ToList();

        // The attestation entry of the first index is not a platform.
        Assert.Equal([("linux/amd64", true, false), ("linux/arm/v7", true, false), ("linux/arm64/v8", true, true), ("linux/s390x", false, true)], pairs);
    }
}
