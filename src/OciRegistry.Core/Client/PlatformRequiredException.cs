using System.Collections.Generic;
using System.Linq;
using OciRegistry.Core.Models;

namespace OciRegistry.Core.Client;

/// <summary>An index where one image is needed: a platform has to be chosen from those it lists.</summary>
public sealed class PlatformRequiredException : OciException
{
    /// <summary>Creates the exception for the index <paramref name="what"/> names.</summary>
    /// <param name="what">The index, as a reference.</param>
    /// <param name="available">The platforms of its images (attestations left out).</param>
    public PlatformRequiredException(string what, IReadOnlyList<Platform> available)
        : base($"{what} is an index of {Count(available)}, not one image; a platform must be chosen")
    {
        Available = available;
    }

    /// <summary>The platforms of the index's images.</summary>
    public IReadOnlyList<Platform> Available { get; }

    private static string Count(IReadOnlyList<Platform> available) => available.Count == 0
        ? "no platform entries"
        : $"{available.Count} platform{(available.Count == 1 ? string.Empty : "s")} ({string.Join(", ", available.Select(p => p.ToString()).Distinct())})";
}
