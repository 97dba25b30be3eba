using System.Linq;
using System.Text;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;

namespace OciRegistry.Core.Tests.Models;

public sealed class PlatformManifestsTests
{
    private const string Amd64 = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Arm64 = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string Attestation = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

    // As BuildKit pushes an image: each platform, then an attestation manifest naming the image it describes.
    private static readonly string BuildKitIndex = $$$"""
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{Amd64}}}","size":1,"platform":{"architecture":"amd64","os":"linux"}},
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{Arm64}}}","size":1,"platform":{"architecture":"arm64","os":"linux"}},
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{Attestation}}}","size":1,"platform":{"architecture":"unknown","os":"unknown"},
           "annotations":{"vnd.docker.reference.digest":"{{{Amd64}}}","vnd.docker.reference.type":"attestation-manifest"}}]}
        """;

    private static ImageIndex Index() => Assert.IsType<ImageIndex>(ManifestParser.Parse(Encoding.UTF8.GetBytes(BuildKitIndex)));

    [Fact]
    public void Of_BuildKitIndex_LeavesOutTheAttestation()
    {
        Assert.Equal(["linux/amd64", "linux/arm64"], PlatformManifests.Of(Index()).Select(p => p.ToString()));
        Assert.Equal([Amd64, Arm64], PlatformManifests.Images(Index()).Select(d => d.Digest.ToString()));
    }

    [Fact]
    public void Attestations_BuildKitIndex_NameTheImageTheyAttest()
    {
        var attestation = Assert.Single(PlatformManifests.Attestations(Index()));

        Assert.Equal(Attestation, attestation.Digest.ToString());
        Assert.Equal(Amd64, PlatformManifests.AttestedDigest(attestation)?.ToString());
    }

    [Fact]
    public void IsAttestation_UnknownPlatformWithoutTheAnnotation_IsAnImage()
    {
        // unknown/unknown alone does not make an attestation: only BuildKit's annotation does.
        var entry = Index().Manifests[2] with { Annotations = new System.Collections.Generic.Dictionary<string, string>() };

        Assert.False(PlatformManifests.IsAttestation(entry));
        Assert.Null(PlatformManifests.AttestedDigest(entry));
    }

    [Fact]
    public void PlatformNotFound_WithAttestations_SaysTheyAreNotAPlatform()
    {
        var index = Index();
        var e = new PlatformNotFoundException(Platform.Parse("unknown/unknown"), PlatformManifests.Of(index), attestations: 1);

        Assert.Equal(
            "the index has no manifest for unknown/unknown; it has linux/amd64, linux/arm64 (and 1 attestation manifest, listed as unknown/unknown, which describe those images and are not a platform)",
            e.Message);
    }
}
