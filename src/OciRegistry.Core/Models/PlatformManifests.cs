using System;
using System.Collections.Generic;
using System.Linq;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Models;

/// <summary>
/// Which entries of an index are images for a platform, and which are BuildKit attestations of those images.
/// BuildKit lists an attestation manifest (provenance, SBOM) beside each image, with the platform
/// <c>unknown/unknown</c>, the annotation <c>vnd.docker.reference.type: attestation-manifest</c> and, in
/// <c>vnd.docker.reference.digest</c>, the digest of the image it attests. Every official Docker Hub image has them;
/// they are not a platform anyone can run.
/// See https://github.com/moby/buildkit/blob/master/docs/attestations/attestation-storage.md.
/// </summary>
public static class PlatformManifests
{
    /// <summary>The annotation that says what kind of reference an index entry is.</summary>
    public const string ReferenceTypeAnnotation = "vnd.docker.reference.type";

    /// <summary>The annotation that names the digest of the image an attestation is about.</summary>
    public const string ReferenceDigestAnnotation = "vnd.docker.reference.digest";

    /// <summary>The value of <see cref="ReferenceTypeAnnotation"/> on an attestation manifest.</summary>
    public const string AttestationManifest = "attestation-manifest";

    /// <summary>Whether <paramref name="entry"/> is an attestation manifest rather than an image.</summary>
    public static bool IsAttestation(Descriptor entry) =>
        entry.Annotations.TryGetValue(ReferenceTypeAnnotation, out var type)
        && string.Equals(type, AttestationManifest, StringComparison.Ordinal);

    /// <summary>The digest of the image an attestation entry is about; null when it names none or an invalid one.</summary>
    public static Digest? AttestedDigest(Descriptor entry) =>
        IsAttestation(entry) && entry.Annotations.TryGetValue(ReferenceDigestAnnotation, out var text) && Digest.TryParse(text, out var digest, out _)
            ? digest
            : null;

    /// <summary>The entries of <paramref name="index"/> that are images (everything but attestations), in order.</summary>
    public static IReadOnlyList<Descriptor> Images(ImageIndex index) => [.. index.Manifests.Where(d => !IsAttestation(d))];

    /// <summary>The attestation entries of <paramref name="index"/>, in order.</summary>
    public static IReadOnlyList<Descriptor> Attestations(ImageIndex index) => [.. index.Manifests.Where(IsAttestation)];

    /// <summary>
    /// The entry of <paramref name="index"/> for <paramref name="platform"/>: the first image whose platform satisfies
    /// it, a manifest preferred over a nested index. Attestations are never chosen. Null when none fits.
    /// </summary>
    public static Descriptor? Select(ImageIndex index, Platform platform)
    {
        var images = Images(index);
        return images.FirstOrDefault(d => d.Platform is { } p && p.Satisfies(platform) && MediaTypes.IsManifest(d.MediaType))
            ?? images.FirstOrDefault(d => d.Platform is { } p && p.Satisfies(platform));
    }

    /// <summary>The platforms the index's images are for: what platform selection chooses from.</summary>
    public static IReadOnlyList<Platform> Of(ImageIndex index) =>
        [.. Images(index).Where(d => d.Platform is not null).Select(d => d.Platform!)];
}
