using System;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Transfer;

/// <summary>What a verified blob download did.</summary>
public sealed record BlobDownloadResult
{
    /// <summary>The final path of the verified file.</summary>
    public required string Path { get; init; }

    /// <summary>The blob's digest.</summary>
    public required Digest Digest { get; init; }

    /// <summary>The blob's size.</summary>
    public required long Size { get; init; }

    /// <summary>True when a file with this digest was already at the path and nothing was downloaded.</summary>
    public bool AlreadyPresent { get; init; }

    /// <summary>The byte a resumed download continued from (a partial file of an earlier run); 0 for a fresh one.</summary>
    public long ResumedFrom { get; init; }

    /// <summary>Whether any bytes came from a partial file of an earlier run.</summary>
    public bool Resumed => ResumedFrom > 0;

    /// <summary>Bytes received over the network in this run.</summary>
    public long BytesDownloaded { get; init; }

    /// <summary>Connections made, the first included; more than one means the transfer resumed within the run.</summary>
    public int Attempts { get; init; }

    /// <summary>How many connections fetched parts of the blob at once; 1 for a download in order.</summary>
    public int Ranges { get; init; } = 1;

    /// <summary>Wall-clock time of the transfer.</summary>
    public TimeSpan Elapsed { get; init; }
}
