using System.Linq;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Output;

/// <summary>
/// An image index (OCI) or manifest list (Docker): one manifest per platform. BuildKit's attestation manifests
/// (the <c>unknown/unknown</c> entries) are kept apart in <see cref="Attestations"/>: they are not platforms.
/// </summary>
public sealed class OciIndex : OciManifestBase
{
    internal OciIndex(ImageIndex index, Reference requested, bool includeAttestations = false)
        : base(index, requested)
    {
        Manifests = Wrap(includeAttestations ? index.Manifests : PlatformManifests.Images(index));
        Platforms = PlatformManifests.Of(index).Select(p => p.ToString()).ToArray();
        Attestations = PlatformManifests.Attestations(index).Select(d => new OciAttestation(d)).ToArray();
    }

    /// <summary>
    /// The image manifests the index lists, each with its platform; with <c>-IncludeAttestations</c>, every entry in
    /// the index's order, attestations too.
    /// </summary>
    public OciDescriptor[] Manifests { get; }

    /// <summary>The platforms of its images, as <c>os/architecture[/variant]</c>; attestations are not platforms.</summary>
    public string[] Platforms { get; }

    /// <summary>The attestation manifests (provenance, SBOMs) the index lists, each with the image it attests.</summary>
    public OciAttestation[] Attestations { get; }
}
