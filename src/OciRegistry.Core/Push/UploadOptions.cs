namespace OciRegistry.Core.Push;

/// <summary>How <see cref="BlobUploader"/> sends blobs.</summary>
public sealed class UploadOptions
{
    /// <summary>
    /// Blobs up to this size go in one PUT after the POST that opens the session (read into memory first, so that
    /// the request can be sent again); larger ones in chunks. 8 MiB by default; at most
    /// <see cref="Limits.MaxUploadChunkBytes"/>.
    /// </summary>
    public long MonolithicLimit { get; set; } = 8L * 1024 * 1024;

    /// <summary>
    /// The size of each PATCH of a chunked upload (the last one may be shorter), streamed from the source. 16 MiB by
    /// default; at least <see cref="Limits.MinUploadChunkBytes"/> (ECR refuses smaller chunks), at most
    /// <see cref="Limits.MaxUploadChunkBytes"/>, and raised to the registry's <c>OCI-Chunk-Min-Length</c> when it
    /// asks for more.
    /// </summary>
    public long ChunkSize { get; set; } = 16L * 1024 * 1024;
}
