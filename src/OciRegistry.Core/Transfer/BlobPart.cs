namespace OciRegistry.Core.Transfer;

/// <summary>
/// One part of a blob downloaded over several connections: the bytes from <see cref="Start"/> up to, not
/// including, <see cref="End"/>, of which the first <see cref="Done"/> are in the partial file.
/// </summary>
internal sealed class BlobPart(long start, long end, long done)
{
    /// <summary>The most parts a sidecar may list; more is not a sidecar this module wrote.</summary>
    public const int MaximumCount = 64;

    public long Start { get; } = start;

    public long End { get; set; } = end;

    public long Done { get; set; } = done;

    public long Length => End - Start;

    public long Missing => Length - Done;

    /// <summary>The file offset of the next byte this part wants.</summary>
    public long Next => Start + Done;

    public override string ToString() => $"{Start}-{End - 1} ({Done} done)";
}
