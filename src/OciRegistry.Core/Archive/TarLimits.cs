using System;

namespace OciRegistry.Core.Archive;

/// <summary>
/// Caps on what one tar header may make the reader hold in memory. Layers come from registries we do not trust, and
/// a pax or GNU long-name record declares its own length: without a cap one header could ask for gigabytes. The
/// defaults are far above what real archives use (Linux's PATH_MAX is 4096).
/// </summary>
public sealed class TarLimits
{
    /// <summary>The default for <see cref="MaximumNameBytes"/>: 4096, Linux's PATH_MAX.</summary>
    public const int DefaultMaximumNameBytes = 4096;

    /// <summary>The default for <see cref="MaximumPaxHeaderBytes"/>: 1 MiB.</summary>
    public const int DefaultMaximumPaxHeaderBytes = 1 << 20;

    private int _maximumNameBytes = DefaultMaximumNameBytes;
    private int _maximumPaxHeaderBytes = DefaultMaximumPaxHeaderBytes;

    /// <summary>A new instance with the default caps (a fresh one each time, so changing it changes no other reader).</summary>
    public static TarLimits Default => new();

    /// <summary>
    /// The longest entry name or link target, in bytes of its encoded form; a longer one is refused with a
    /// <see cref="TarFormatException"/> that names this limit.
    /// </summary>
    public int MaximumNameBytes
    {
        get => _maximumNameBytes;
        set => _maximumNameBytes = Positive(value, nameof(MaximumNameBytes));
    }

    /// <summary>
    /// The largest body of a pax ('x', 'g') or GNU long-name ('L', 'K') record, in bytes. A record that declares more
    /// is refused before any of its body is read.
    /// </summary>
    public int MaximumPaxHeaderBytes
    {
        get => _maximumPaxHeaderBytes;
        set => _maximumPaxHeaderBytes = Positive(value, nameof(MaximumPaxHeaderBytes));
    }

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, "the limit must be at least 1");
}
