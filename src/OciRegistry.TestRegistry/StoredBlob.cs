using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.LocalFiles;
using OciRegistry.Core.References;

namespace OciRegistry.TestRegistry;

/// <summary>
/// One blob in the content pool: bytes in memory, or a file served from disk. A file from an OCI layout is opened
/// only as a regular file that is not a link, and is hashed on its first GET, before a byte of it goes out: a file
/// that does not match its digest is never served. The result is remembered for as long as the file stays the
/// same (same file, size and modification time), so later GETs cost what they did before.
/// </summary>
internal sealed class StoredBlob
{
    private const int HashBufferSize = 1024 * 1024;

    private readonly byte[]? _content;
    private readonly string? _path;
    private readonly SemaphoreSlim? _checking;
    private Stamp? _matched;
    private Stamp? _mismatched;
    private string? _mismatch;

    private StoredBlob(Digest digest, long size, byte[]? content, string? path, bool fromLayout)
    {
        Digest = digest;
        Size = size;
        _content = content;
        _path = path;
        _checking = fromLayout ? new SemaphoreSlim(1, 1) : null;
    }

    public Digest Digest { get; }

    public long Size { get; }

    /// <summary>The bytes, when the blob lives in memory; null for a file-backed blob.</summary>
    public byte[]? Content => _content;

    /// <summary>The full path of the file, for a file-backed blob.</summary>
    public string? Path => _path;

    public static StoredBlob InMemory(Digest digest, byte[] content) => new(digest, content.Length, content, null, fromLayout: false);

    /// <summary>A file the caller vouches for (hashed already, or deliberately wrong): served as it is.</summary>
    public static StoredBlob FromFile(Digest digest, long size, string path) => new(digest, size, null, path, fromLayout: false);

    /// <summary>A file from an OCI layout: never through a link, and checked against its digest before it is served.</summary>
    public static StoredBlob FromLayoutFile(Digest digest, long size, string path) => new(digest, size, null, path, fromLayout: true);

    /// <summary>
    /// For a layout file, hashes it if it has not been hashed as it is now; the problem when it does not match its
    /// digest, else null. Concurrent first requests wait for one hash. Other blobs need no check.
    /// </summary>
    /// <exception cref="FileLinkRefusedException">The file has been replaced by a link, or hard-linked.</exception>
    /// <exception cref="FileNotRegularException">The file has been replaced by something that is not a regular file.</exception>
    public async Task<string?> VerifyAsync(CancellationToken cancellationToken)
    {
        if (_checking is null)
        {
            return null;
        }

        await _checking.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var file = OpenLayoutFile();
            var stamp = Stamp.Of(file, _path!);
            if (stamp == _matched)
            {
                return null;
            }

            if (stamp == _mismatched)
            {
                return _mismatch;
            }

            string? problem = null;
            if (stamp.Size != Size)
            {
                problem = $"the file of blob {Digest} is now {stamp.Size} bytes, not {Size}; it is not served";
            }
            else if (await HashAsync(file, cancellationToken).ConfigureAwait(false) is var actual && actual != Digest)
            {
                problem = $"the file of blob {Digest} does not match its digest (it hashes to {actual}); it is not served";
            }

            _matched = problem is null ? stamp : null;
            _mismatched = problem is null ? null : stamp;
            _mismatch = problem;
            return problem;
        }
        finally
        {
            _checking.Release();
        }
    }

    /// <summary>
    /// Opens the file for sequential reading; only for file-backed blobs. A layout file must still be the one
    /// <see cref="VerifyAsync"/> last passed, if it passed one.
    /// </summary>
    public FileStream OpenFile()
    {
        if (_path is null)
        {
            throw new InvalidOperationException("the blob is held in memory");
        }

        if (_checking is null)
        {
            return new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }

        var file = OpenLayoutFile();
        if (_matched is { } matched && Stamp.Of(file, _path) != matched)
        {
            file.Dispose();
            throw new IOException($"the file of blob {Digest} changed after it was verified");
        }

        return file;
    }

    private FileStream OpenLayoutFile() => RegularFile.OpenRead(_path!, followFinalLink: false, allowHardLinks: false);

    private async Task<Digest> HashAsync(FileStream file, CancellationToken cancellationToken)
    {
        using var hash = Digest.CreateHash();
        var buffer = new byte[HashBufferSize];
        file.Seek(0, SeekOrigin.Begin);
        int read;
        while ((read = await file.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return Digest.FromHash(Digest.Algorithm, hash.GetHashAndReset());
    }

    /// <summary>Which file, at which size and modification time: what a verification is valid for.</summary>
    private sealed record Stamp((ulong Device, ulong Inode) Identity, long Size, DateTime Modified)
    {
        // The path is not a link (the handle was opened without following one), so its time is the handle's file's.
        public static Stamp Of(FileStream file, string path)
        {
            var status = RegularFile.GetStatus(file);
            return new Stamp(status.Identity, status.Size, File.GetLastWriteTimeUtc(path));
        }
    }
}
