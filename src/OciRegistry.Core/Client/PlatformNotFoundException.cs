using System.Collections.Generic;
using System.Linq;
using OciRegistry.Core.Models;

namespace OciRegistry.Core.Client;

/// <summary>An index that has no manifest for the wanted platform.</summary>
public sealed class PlatformNotFoundException : OciException
{
    /// <summary>Creates the exception, listing what the index offers.</summary>
    public PlatformNotFoundException(Platform wanted, IReadOnlyList<Platform> available)
        : base($"the index has no manifest for {wanted}; it has {(available.Count == 0 ? "no platform entries" : string.Join(", ", available.Select(p => p.ToString()).Distinct()))}")
    {
        Wanted = wanted;
        Available = available;
    }

    /// <summary>The platform asked for.</summary>
    public Platform Wanted { get; }

    /// <summary>The platforms the index lists.</summary>
    public IReadOnlyList<Platform> Available { get; }
}
