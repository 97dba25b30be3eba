using System;

namespace OciRegistry.Core.Client;

/// <summary>Where a blob upload stands, as the registry last said.</summary>
/// <param name="Location">The URL to send the next request of the upload to; null once <paramref name="Completed"/>.</param>
/// <param name="Offset">How many bytes the registry holds.</param>
/// <param name="ChunkMinLength">The registry's <c>OCI-Chunk-Min-Length</c>, when it sent one.</param>
/// <param name="Completed">The blob is there already (a mount answered 201).</param>
internal sealed record UploadState(Uri? Location, long Offset, long? ChunkMinLength, bool Completed);
