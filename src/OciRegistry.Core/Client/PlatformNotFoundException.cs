using System.Collections.Generic;
using System.Linq;
using OciRegistry.Core.Models;

namespace OciRegistry.Core.Client;

/// <summary>An index that has no manifest for the wanted platform, or a single image built for another one.</summary>
public sealed class PlatformNotFoundException : OciException
{
    /// <summary>Creates the exception, listing what the index offers.</summary>
    /// <param name="wanted">The platform asked for.</param>
    /// <param name="available">The platforms of the index's images (attestations left out), or the single image's.</param>
    /// <param name="inIndex">Whether an index was asked, rather than a single image.</param>
    /// <param name="attestations">How many attestation entries the index has besides its images.</param>
    public PlatformNotFoundException(Platform wanted, IReadOnlyList<Platform> available, bool inIndex = true, int attestations = 0)
        : base(Describe(wanted, available, inIndex, attestations))
    {
        InIndex = inIndex;
        Wanted = wanted;
        Available = available;
        Attestations = attestations;
    }

    /// <summary>The platform asked for.</summary>
    public Platform Wanted { get; }

    /// <summary>Whether an index was asked (else a single image, whose config names its platform).</summary>
    public bool InIndex { get; }

    /// <summary>The platforms of the images the index lists, or the one the single image's config names.</summary>
    public IReadOnlyList<Platform> Available { get; }

    /// <summary>How many attestation manifests (BuildKit's <c>unknown/unknown</c> entries) the index has besides its images.</summary>
    public int Attestations { get; }

    private static string Describe(Platform wanted, IReadOnlyList<Platform> available, bool inIndex, int attestations)
    {
        if (!inIndex)
        {
            return $"the image is built for {string.Join(", ", available.Select(p => p.ToString()).Distinct())}, not for {wanted}; it is a single manifest, not an index of platforms";
        }

        var platforms = available.Count == 0 ? "no platform entries" : string.Join(", ", available.Select(p => p.ToString()).Distinct());
        var besides = attestations == 0 ? string.Empty
            : $" (and {attestations} attestation {(attestations == 1 ? "manifest" : "manifests")}, listed as unknown/unknown, which describe those images and are not a platform)";
        return $"the index has no manifest for {wanted}; it has {platforms}{besides}";
    }
}
