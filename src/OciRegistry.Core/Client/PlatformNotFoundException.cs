using System.Collections.Generic;
using System.Linq;
using OciRegistry.Core.Models;

namespace OciRegistry.Core.Client;

/// <summary>An index that has no manifest for the wanted platform, or a single image built for another one.</summary>
public sealed class PlatformNotFoundException : OciException
{
    /// <summary>Creates the exception, listing what the index offers.</summary>
    public PlatformNotFoundException(Platform wanted, IReadOnlyList<Platform> available, bool inIndex = true)
        : base(inIndex
            ? $"the index has no manifest for {wanted}; it has {(available.Count == 0 ? "no platform entries" : string.Join(", ", available.Select(p => p.ToString()).Distinct()))}"
            : $"the image is built for {string.Join(", ", available.Select(p => p.ToString()).Distinct())}, not for {wanted}; it is a single manifest, not an index of platforms")
    {
        InIndex = inIndex;
        Wanted = wanted;
        Available = available;
    }

    /// <summary>The platform asked for.</summary>
    public Platform Wanted { get; }

    /// <summary>Whether an index was asked (else a single image, whose config names its platform).</summary>
    public bool InIndex { get; }

    /// <summary>The platforms the index lists, or the one the single image's config names.</summary>
    public IReadOnlyList<Platform> Available { get; }
}
