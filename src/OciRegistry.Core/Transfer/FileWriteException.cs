using System;

namespace OciRegistry.Core.Transfer;

/// <summary>
/// Writing a download to the local disk failed: no space, no permission, a read-only or vanished folder. Kept
/// apart from the network's IOExceptions so that nobody is told to check their proxy when the disk is full.
/// </summary>
public sealed class FileWriteException : OciException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public FileWriteException(string path, Exception innerException)
        : base($"could not write '{path}': {innerException?.Message}", innerException)
    {
        Path = path;
    }

    /// <summary>The file being written.</summary>
    public string Path { get; }
}
