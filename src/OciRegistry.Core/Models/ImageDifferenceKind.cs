namespace OciRegistry.Core.Models;

/// <summary>What an <see cref="ImageDifference"/> is about.</summary>
public enum ImageDifferenceKind
{
    /// <summary>A platform one index has and the other lacks.</summary>
    Platform,

    /// <summary>A layer, by digest.</summary>
    Layer,

    /// <summary>A field of the image config (an environment variable and a label each count as one).</summary>
    Config,

    /// <summary>The total size: config plus layers.</summary>
    Size,
}
