using OciRegistry.Core.References;

namespace OciRegistry.Core.Extraction;

/// <summary>How a layer is named in messages: its position in the manifest (from 0, the base) and its digest.</summary>
public sealed class LayerName
{
    /// <summary>Creates the name.</summary>
    public LayerName(int index, Digest digest)
    {
        Index = index;
        Digest = digest;
    }

    /// <summary>The layer's position in the manifest, 0 for the base layer.</summary>
    public int Index { get; }

    /// <summary>The layer's digest.</summary>
    public Digest Digest { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Index} ({Digest.Algorithm}:{Digest.Encoded.Substring(0, System.Math.Min(12, Digest.Encoded.Length))})";
}
