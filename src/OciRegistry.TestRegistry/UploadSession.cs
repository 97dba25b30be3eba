using System;
using System.Buffers;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.References;

namespace OciRegistry.TestRegistry;

/// <summary>
/// One blob upload in progress (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs):
/// the bytes received so far, in memory up to <see cref="MemoryLimit"/> (and while the area's memory budget lasts)
/// and in a file of the server's <see cref="UploadArea"/> beyond, hashed with sha256 as they arrive so finishing a
/// large upload needs no second pass. The file is open only while a request holds the session, so uploads that
/// clients abandon hold no file handles, and the area can drop a session that has been idle too long.
/// </summary>
/// <remarks>Chunks of one session are appended one at a time: a caller holds <see cref="LockAsync"/> around its work.</remarks>
internal sealed class UploadSession
{
    /// <summary>Uploads up to this size stay in memory; larger ones go to a file.</summary>
    public const int MemoryLimit = 1024 * 1024;

    private readonly UploadArea _area;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private MemoryStream? _memory = new();
    private long _reserved; // bytes of the area's memory budget that _memory holds
    private string? _path; // the file, once the upload outgrew memory
    private FileStream? _file; // open only while a request holds the session
    private IncrementalHash? _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _lastUsedTicks;
    private volatile bool _ended;

    public UploadSession(string id, string repository, UploadArea area)
    {
        Id = id;
        Repository = repository;
        _area = area;
        Touch();
    }

    /// <summary>The session id in the upload URL.</summary>
    public string Id { get; }

    /// <summary>The repository the upload was started in.</summary>
    public string Repository { get; }

    /// <summary>Whether the upload finished, was cancelled or expired; the session then takes nothing more.</summary>
    public bool Ended => _ended;

    /// <summary>How many bytes were received.</summary>
    public long Size { get; private set; }

    /// <summary>Whether a request holds the session now (it lets go just after its answer is sent).</summary>
    internal bool Held => _lock.CurrentCount == 0;

    /// <summary>When a request last held the session, on the area's clock.</summary>
    public DateTimeOffset LastUsed => new(Interlocked.Read(ref _lastUsedTicks), TimeSpan.Zero);

    /// <summary>Waits for exclusive use of the session; disposing the result closes the file and lets go.</summary>
    public async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        Touch();
        return new Releaser(this);
    }

    /// <summary>
    /// Discards the session when no request has held it since <paramref name="cutoff"/> and none holds it now.
    /// </summary>
    /// <param name="cutoff">Sessions last used before this time expire.</param>
    /// <param name="wait">
    /// How long to wait for a request that still holds the session: a request arriving for it waits a moment, since
    /// the one before may have sent its answer and not yet let go; the sweeper does not wait.
    /// </param>
    /// <returns>Whether the session has ended (now or before).</returns>
    public bool TryExpire(DateTimeOffset cutoff, TimeSpan wait = default)
    {
        if (_ended)
        {
            return true;
        }

        if (LastUsed > cutoff || !_lock.Wait(wait))
        {
            return false;
        }

        try
        {
            if (LastUsed > cutoff)
            {
                return false;
            }

            Discard();
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Appends all of <paramref name="body"/> unless that would take the upload past <paramref name="limit"/> bytes.
    /// When reading fails part way (the client went away) or the limit is reached, the bytes of this chunk are
    /// taken back, so the session stays where it was.
    /// </summary>
    /// <returns>How many bytes were appended; null when the body went past the limit.</returns>
    public async Task<long?> AppendAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        var start = Size;
        var buffer = ArrayPool<byte>.Shared.Rent(RegistryExchange.ChunkSize);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (Size + read > limit)
                {
                    Truncate(start);
                    return null;
                }

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
        if (size == Size || _ended)
        {
            return;
        }

        if (_memory is not null)
        {
            _memory.SetLength(size);
            _area.ReleaseMemory(_reserved - size);
            _reserved = size;
        }
        else
        {
            var file = OpenFile();
            file.SetLength(size);
            file.Seek(size, SeekOrigin.Begin);
        }

        Size = size;

        // The running hash has seen the dropped bytes; finishing hashes the content again.
        _sha256?.Dispose();
        _sha256 = null;
    }

    /// <summary>
    /// Ends the upload if its content has <paramref name="expected"/> as digest: the blob to store, its bytes in
    /// memory or in the file, which then belongs to the blob. Null when the digest differs; the bytes are dropped
    /// either way, as far as the session is concerned, and the area forgets the session.
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

        StoredBlob blob;
        if (_memory is not null)
        {
            blob = StoredBlob.InMemory(actual, _memory.ToArray());
            _memory = null;
        }
        else
        {
            var file = OpenFile();
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            CloseFile();
            blob = StoredBlob.FromFile(actual, Size, _path!);
            _path = null;
        }

        Discard();
        return blob;
    }

    /// <summary>Releases the bytes (frees the memory or deletes the file) and makes the area forget the session.</summary>
    public void Discard()
    {
        _ended = true;
        _area.Remove(this);
        _memory = null;
        _area.ReleaseMemory(Interlocked.Exchange(ref _reserved, 0));
        _sha256?.Dispose();
        _sha256 = null;
        CloseFile();
        if (_path is { } path)
        {
            _path = null;
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastUsedTicks, _area.Now.UtcTicks);

    private void Unlock()
    {
        CloseFile();
        Touch();
        _lock.Release();
    }

    // The spill file, opened for this request if it is not yet, positioned at the end of the content.
    private FileStream OpenFile()
    {
        if (_file is null)
        {
            var path = _path ?? throw new ObjectDisposedException(nameof(UploadSession), "the upload has ended");
            _file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous);
            _file.Seek(Size, SeekOrigin.Begin);
        }

        return _file;
    }

    private void CloseFile()
    {
        var file = _file;
        _file = null;
        file?.Dispose();
    }

    private async Task WriteAsync(byte[] buffer, int count, CancellationToken cancellationToken)
    {
        if (_ended)
        {
            throw new ObjectDisposedException(nameof(UploadSession), "the upload has ended");
        }

        _sha256?.AppendData(buffer, 0, count);
        if (_memory is not null)
        {
            if (_memory.Length + count <= MemoryLimit && _area.TryReserveMemory(count))
            {
                _memory.Write(buffer, 0, count);
                _reserved += count;
                Size += count;
                return;
            }

            await SpillAsync(_memory, cancellationToken).ConfigureAwait(false);
        }

        await OpenFile().WriteAsync(buffer, 0, count, cancellationToken).ConfigureAwait(false);
        Size += count;
    }

    // Everything so far goes to a file, and the rest follows it there.
    private async Task SpillAsync(MemoryStream memory, CancellationToken cancellationToken)
    {
        var file = _area.CreateFile();
        try
        {
            await file.WriteAsync(memory.GetBuffer(), 0, (int)memory.Length, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            file.Dispose();
            File.Delete(file.Name);
            throw;
        }

        _file = file;
        _path = file.Name;
        _memory = null;
        _area.ReleaseMemory(Interlocked.Exchange(ref _reserved, 0));
    }

    private async Task<Digest> HashAgainAsync(Digest expected, CancellationToken cancellationToken)
    {
        using var hash = expected.CreateHash();
        if (_memory is not null)
        {
            hash.AppendData(_memory.GetBuffer(), 0, (int)_memory.Length);
        }
        else if (_path is not null)
        {
            var file = OpenFile();
            file.Seek(0, SeekOrigin.Begin);
            var buffer = ArrayPool<byte>.Shared.Rent(RegistryExchange.ChunkSize);
            try
            {
                int read;
                while ((read = await file.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
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

    private sealed class Releaser(UploadSession session) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                session.Unlock();
            }
        }
    }
}
