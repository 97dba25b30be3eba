using System;
using System.Buffers;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.References;

namespace OciRegistry.Core.TestRegistry;

/// <summary>
/// One blob upload in progress (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs):
/// the bytes received so far, in memory up to <see cref="MemoryLimit"/> and in a file of the server's
/// <see cref="UploadArea"/> beyond, hashed with sha256 as they arrive so finishing a large upload needs no second pass.
/// </summary>
/// <remarks>Chunks of one session are appended one at a time: a caller holds <see cref="LockAsync"/> around its work.</remarks>
internal sealed class UploadSession
{
    /// <summary>Uploads up to this size stay in memory; larger ones go to a file.</summary>
    public const int MemoryLimit = 1024 * 1024;

    private readonly UploadArea _area;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private MemoryStream? _memory = new();
    private FileStream? _file;
    private IncrementalHash? _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public UploadSession(string id, string repository, UploadArea area)
    {
        Id = id;
        Repository = repository;
        _area = area;
    }

    /// <summary>The session id in the upload URL.</summary>
    public string Id { get; }

    /// <summary>The repository the upload was started in.</summary>
    public string Repository { get; }

    /// <summary>Whether the upload finished or was cancelled; the session then takes nothing more.</summary>
    public bool Ended => _memory is null && _file is null;

    /// <summary>How many bytes were received.</summary>
    public long Size { get; private set; }

    /// <summary>Waits for exclusive use of the session.</summary>
    public async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(_lock);
    }

    /// <summary>
    /// Appends all of <paramref name="body"/>. When reading fails part way (the client went away), the bytes of this
    /// chunk are taken back, so the session stays where it was.
    /// </summary>
    /// <returns>How many bytes were appended.</returns>
    public async Task<long> AppendAsync(Stream body, CancellationToken cancellationToken)
    {
        var start = Size;
        var buffer = ArrayPool<byte>.Shared.Rent(RegistryExchange.ChunkSize);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await WriteAsync(buffer, read, cancellationToken).ConfigureAwait(false);
            }

            return Size - start;
        }
        catch
        {
            Truncate(start);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Drops everything after the first <paramref name="size"/> bytes (a chunk that did not match its range).</summary>
    public void Truncate(long size)
    {
        if (size == Size)
        {
            return;
        }

        _memory?.SetLength(size);
        _file?.SetLength(size);
        _file?.Seek(size, SeekOrigin.Begin);
        Size = size;

        // The running hash has seen the dropped bytes; finishing hashes the content again.
        _sha256?.Dispose();
        _sha256 = null;
    }

    /// <summary>
    /// Ends the upload if its content has <paramref name="expected"/> as digest: the blob to store, its bytes in
    /// memory or in the file, which then belongs to the blob. Null when the digest differs; the bytes are dropped
    /// either way, as far as the session is concerned.
    /// </summary>
    public async Task<StoredBlob?> CompleteAsync(Digest expected, CancellationToken cancellationToken)
    {
        Digest actual;
        if (_sha256 is not null && expected.Algorithm == "sha256")
        {
            actual = Digest.FromHash("sha256", _sha256.GetHashAndReset());
        }
        else
        {
            actual = await HashAgainAsync(expected, cancellationToken).ConfigureAwait(false);
        }

        if (actual != expected)
        {
            Discard();
            return null;
        }

        if (_memory is not null)
        {
            var blob = StoredBlob.InMemory(actual, _memory.ToArray());
            _memory = null;
            return blob;
        }

        var file = _file!;
        _file = null;
        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        var path = file.Name;
        file.Dispose();
        return StoredBlob.FromFile(actual, Size, path);
    }

    /// <summary>Releases the bytes: frees the memory or deletes the file.</summary>
    public void Discard()
    {
        _memory = null;
        _sha256?.Dispose();
        _sha256 = null;
        if (_file is { } file)
        {
            _file = null;
            file.Dispose();
            try
            {
                File.Delete(file.Name);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private async Task WriteAsync(byte[] buffer, int count, CancellationToken cancellationToken)
    {
        if (_memory is null && _file is null)
        {
            throw new ObjectDisposedException(nameof(UploadSession), "the upload has ended");
        }

        _sha256?.AppendData(buffer, 0, count);
        if (_memory is not null && _memory.Length + count > MemoryLimit)
        {
            // Spill: everything so far goes to a file, and the rest follows it there.
            _file = _area.CreateFile();
            await _file.WriteAsync(_memory.GetBuffer(), 0, (int)_memory.Length, cancellationToken).ConfigureAwait(false);
            _memory = null;
        }

        if (_memory is not null)
        {
            _memory.Write(buffer, 0, count);
        }
        else
        {
            await _file!.WriteAsync(buffer, 0, count, cancellationToken).ConfigureAwait(false);
        }

        Size += count;
    }

    private async Task<Digest> HashAgainAsync(Digest expected, CancellationToken cancellationToken)
    {
        using var hash = expected.CreateHash();
        if (_memory is not null)
        {
            hash.AppendData(_memory.GetBuffer(), 0, (int)_memory.Length);
        }
        else if (_file is not null)
        {
            _file.Seek(0, SeekOrigin.Begin);
            var buffer = ArrayPool<byte>.Shared.Rent(RegistryExchange.ChunkSize);
            try
            {
                int read;
                while ((read = await _file.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return Digest.FromHash(expected.Algorithm, hash.GetHashAndReset());
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
