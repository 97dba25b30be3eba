namespace OciRegistry.Core.Extraction;

/// <summary>
/// Reading an image's layers would pass a bound on the work: more expanded bytes than allowed (a decompression bomb,
/// or an entry claiming a huge size), or more entries than a filesystem of that size plausibly holds.
/// </summary>
public sealed class LayerLimitException : OciException
{
    /// <summary>Creates the exception.</summary>
    public LayerLimitException(LayerName layer, string what, long limit, bool raisable)
        : base($"layer {layer}: {what}, past the limit of {limit}")
    {
        Layer = layer;
        Limit = limit;
        Raisable = raisable;
    }

    /// <summary>The layer being read when the limit was reached.</summary>
    public LayerName Layer { get; }

    /// <summary>The limit that was reached.</summary>
    public long Limit { get; }

    /// <summary>Whether the host lets users raise this limit (the expanded size) or it is fixed (the entry count).</summary>
    public bool Raisable { get; }
}
