namespace OciRegistry.TestRegistry;

/// <summary>What a <see cref="ByteRange"/> asks the server to send.</summary>
internal enum ByteRangeKind
{
    /// <summary>200 with the whole blob.</summary>
    Full,

    /// <summary>206 with one range.</summary>
    Partial,

    /// <summary>416 with <c>Content-Range: bytes */size</c>.</summary>
    Unsatisfiable,
}
