namespace OciRegistry.Core.Models;

/// <summary>Where a compared item is: on one side, on both with different values, or on both the same.</summary>
public enum DifferenceSide
{
    /// <summary>Only in the reference image (removed).</summary>
    ReferenceOnly,

    /// <summary>Only in the difference image (added).</summary>
    DifferenceOnly,

    /// <summary>On both sides, with different values (changed).</summary>
    Changed,

    /// <summary>On both sides, the same.</summary>
    Equal,
}
