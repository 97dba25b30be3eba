using OciRegistry.Core.Models;

namespace OciRegistry.Output;

/// <summary>
/// One thing two images differ in, as Compare-OciImage reports it: a layer, a config field, the total size, or a
/// platform only one index has. SideIndicator reads as Compare-Object's: <c>&lt;=</c> only in the reference image,
/// <c>=&gt;</c> only in the difference image, <c>==</c> the same on both (with -IncludeEqual), and <c>&lt;&gt;</c>
/// on both with different values.
/// </summary>
public sealed class OciImageDifference
{
    internal OciImageDifference(ImageDifference difference, string? platform)
    {
        Platform = platform;
        Kind = difference.Kind.ToString();
        Name = difference.Name;
        SideIndicator = difference.Side switch
        {
            DifferenceSide.ReferenceOnly => "<=",
            DifferenceSide.DifferenceOnly => "=>",
            DifferenceSide.Equal => "==",
            _ => "<>",
        };
        ReferenceValue = difference.ReferenceValue;
        DifferenceValue = difference.DifferenceValue;
        Position = difference.Position;
        DifferencePosition = difference.DifferencePosition;
        if (difference.Kind == ImageDifferenceKind.Size && difference.ReferenceValue is long before && difference.DifferenceValue is long after)
        {
            Delta = after - before;
        }
    }

    /// <summary>The platform compared (<c>os/architecture[/variant]</c>), when two indexes were compared platform by platform.</summary>
    public string? Platform { get; }

    /// <summary>Layer, Config, Size or Platform.</summary>
    public string Kind { get; }

    /// <summary>
    /// The layer's digest, the config field (<c>Cmd</c>, <c>Env:PATH</c>, <c>Label:org.opencontainers.image.version</c>),
    /// <c>TotalSize</c>, or the platform.
    /// </summary>
    public string Name { get; }

    /// <summary><c>&lt;=</c>, <c>=&gt;</c>, <c>==</c> or <c>&lt;&gt;</c> (changed).</summary>
    public string SideIndicator { get; }

    /// <summary>
    /// The reference image's value: a layer's size in bytes, a config field's value, the total size, a platform's
    /// manifest digest; null where that image has none.
    /// </summary>
    public object? ReferenceValue { get; }

    /// <summary>The difference image's value, as ReferenceValue.</summary>
    public object? DifferenceValue { get; }

    /// <summary>For a layer: its place (0 is the first) in the reference image, or in the difference image when only there.</summary>
    public int? Position { get; }

    /// <summary>For a layer in the difference image: its place there.</summary>
    public int? DifferencePosition { get; }

    /// <summary>For the total size: the difference image's minus the reference image's, in bytes.</summary>
    public long? Delta { get; }
}
