using System.Collections.Generic;
using System.Linq;
using OciRegistry.Core.Models;

namespace OciRegistry.Output;

/// <summary>
/// A BuildKit attestation manifest listed in an index (provenance, SBOM), with the image it is about. Its Reference
/// pipes into <c>Get-OciManifest</c> to read it.
/// </summary>
public sealed class OciAttestation
{
    internal OciAttestation(Descriptor descriptor)
    {
        Descriptor = new OciDescriptor(descriptor);
        var attested = PlatformManifests.AttestedDigest(descriptor);
        Attests = attested?.ToString();
        AttestsReference = attested is null || descriptor.Source is null ? null : descriptor.Source.AtDigest(attested).ToString();
    }

    /// <summary>The attestation manifest's digest.</summary>
    public string Digest => Descriptor.Digest;

    /// <summary>The attestation manifest's media type.</summary>
    public string MediaType => Descriptor.MediaType;

    /// <summary>Its size in bytes.</summary>
    public long Size => Descriptor.Size;

    /// <summary>The digest of the image it attests (<c>vnd.docker.reference.digest</c>); null when it names none.</summary>
    public string? Attests { get; }

    /// <summary>The image it attests, pinned by digest: <c>registry/repository@digest</c>.</summary>
    public string? AttestsReference { get; }

    /// <summary>The attestation manifest pinned by digest: <c>registry/repository@digest</c>.</summary>
    public string? Reference => Descriptor.Reference;

    /// <summary>Its annotations.</summary>
    public Dictionary<string, string> Annotations => Descriptor.Annotations;

    /// <summary>The index entry itself.</summary>
    public OciDescriptor Descriptor { get; }

    /// <summary>The digest.</summary>
    public override string ToString() => Digest;
}
