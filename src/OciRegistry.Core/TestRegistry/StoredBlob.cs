using System;
using System.IO;
using OciRegistry.Core.References;

namespace OciRegistry.Core.TestRegistry;

/// <summary>One blob in the content pool: bytes in memory, or a file served from disk.</summary>
internal sealed class StoredBlob
{
    private readonly byte[]? _content;
    private readonly string? _path;

    private StoredBlob(Digest digest, long size, byte[]? content, string? path)
    {
        Digest = digest;
        Size = size;
        _content = content;
        _path = path;
    }

    public Digest Digest { get; }

    public long Size { get; }

    /// <summary>The bytes, when the blob lives in memory; null for a file-backed blob.</summary>
    public byte[]? Content => _content;

    /// <summary>The full path of the file, for a file-backed blob.</summary>
    public string? Path => _path;

    public static StoredBlob InMemory(Digest digest, byte[] content) => new(digest, content.Length, content, null);

    public static StoredBlob FromFile(Digest digest, long size, string path) => new(digest, size, null, path);

    /// <summary>Opens the file for sequential, asynchronous reading; only for file-backed blobs.</summary>
    public FileStream OpenFile() =>
        new(
            _path ?? throw new InvalidOperationException("the blob is held in memory"),
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read | FileShare.Delete,
            bufferSize: 1,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
}
