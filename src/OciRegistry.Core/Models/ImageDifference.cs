namespace OciRegistry.Core.Models;

/// <summary>One thing two images differ in (or, when equal ones are asked for, share).</summary>
public sealed class ImageDifference
{
    internal ImageDifference(ImageDifferenceKind kind, string name, DifferenceSide side, object? referenceValue, object? differenceValue)
    {
        Kind = kind;
        Name = name;
        Side = side;
        ReferenceValue = referenceValue;
        DifferenceValue = differenceValue;
    }

    /// <summary>What it is about.</summary>
    public ImageDifferenceKind Kind { get; }

    /// <summary>
    /// The layer's digest, the config field (<c>Cmd</c>, <c>Env:PATH</c>, <c>Label:org.opencontainers.image.version</c>),
    /// <c>TotalSize</c>, or the platform.
    /// </summary>
    public string Name { get; }

    /// <summary>Which side has it.</summary>
    public DifferenceSide Side { get; }

    /// <summary>
    /// The reference image's value: a layer's size, a config field's value (text, a list, a time), the total size,
    /// a platform's manifest digest; null where that side has none.
    /// </summary>
    public object? ReferenceValue { get; }

    /// <summary>The difference image's value, as <see cref="ReferenceValue"/>.</summary>
    public object? DifferenceValue { get; }

    /// <summary>For a layer, its place (0 is the first) in the reference image, else in the difference image.</summary>
    public int? Position { get; internal init; }

    /// <summary>For a layer in the difference image, its place there (differs from <see cref="Position"/> when it moved).</summary>
    public int? DifferencePosition { get; internal init; }
}
