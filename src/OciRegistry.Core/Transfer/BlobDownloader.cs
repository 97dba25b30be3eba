using System;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Transfer;

/// <summary>
/// Downloads one blob to a file: verified or absent, durable, resumable. Bytes stream to
/// <c>&lt;target&gt;.partial</c> while being hashed; only a matching digest moves them to the target, after they
/// are flushed to disk. A dropped connection resumes with a Range request; an interrupted run leaves the partial
/// file and a sidecar naming the blob, and the next run re-hashes those bytes and fetches only the rest.
/// </summary>
public sealed class BlobDownloader
{
    private const int BufferSize = 1024 * 1024;
    private readonly RegistryClient _client;

    /// <summary>Creates a downloader over <paramref name="client"/>, whose retry settings and clock it shares.</summary>
    public BlobDownloader(RegistryClient client)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
    }

    /// <summary>Downloads <paramref name="digest"/> from <paramref name="repository"/> to <paramref name="targetPath"/>.</summary>
    /// <param name="repository">Where the blob lives (tag and digest of the reference are ignored).</param>
    /// <param name="digest">The blob's digest; the file is verified against it.</param>
    /// <param name="size">The blob's size; no byte past it is accepted.</param>
    /// <param name="targetPath">The final path. Its folder must exist.</param>
    /// <param name="overwrite">Replace a file at the target whose content differs; without it that is an error.</param>
    /// <param name="progress">Receives progress; the caller throttles what it shows.</param>
    /// <param name="cancellationToken">Stops the transfer promptly, leaving a resumable partial file.</param>
    public async Task<BlobDownloadResult> DownloadAsync(
        Reference repository,
        Digest digest,
        long size,
        string targetPath,
        bool overwrite = false,
        IProgress<TransferProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (repository is null || digest is null)
        {
            throw new ArgumentNullException(repository is null ? nameof(repository) : nameof(digest));
        }

        if (size < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), "The blob size must be known.");
        }

        var clock = Stopwatch.StartNew();
        var target = Path.GetFullPath(targetPath);
        if (File.Exists(target))
        {
            if (await FileMatchesAsync(target, digest, size, progress, cancellationToken).ConfigureAwait(false))
            {
                progress?.Report(new TransferProgress(digest, TransferState.Completed, size, size, 0));
                return new BlobDownloadResult { Path = target, Digest = digest, Size = size, AlreadyPresent = true, Elapsed = clock.Elapsed };
            }

            if (!overwrite)
            {
                throw new TargetExistsException(target, digest);
            }
        }

        var partial = new PartialDownload(target);
        var hash = digest.CreateHash();
        FileStream file;
        long resumedFrom = 0;
        try
        {
            if (partial.BelongsTo(digest, size))
            {
                file = OpenExclusive(partial.DataPath, FileMode.Open);
                resumedFrom = await HashExistingAsync(file, hash, digest, size, progress, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                partial.Delete();
                partial.WriteSidecar(digest, size, repository.RepositoryOnly().ToString());
                file = OpenExclusive(partial.DataPath, FileMode.Create);
            }
        }
        catch
        {
            hash.Dispose();
            throw;
        }

        var network = new ResumingBlobStream(_client, repository, digest, size, resumedFrom,
            wait => progress?.Report(new TransferProgress(digest, TransferState.Waiting, -1, size, resumedFrom, wait)));
        var verifying = new VerifyingStream(network, hash, digest, size, resumedFrom, $"the blob {digest}");
        try
        {
            using (file)
            using (verifying)
            {
                await CopyAsync(verifying, file, digest, size, resumedFrom, progress, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            if (File.Exists(target))
            {
                File.Delete(target);
            }

            File.Move(partial.DataPath, target);
            partial.Delete();
            progress?.Report(new TransferProgress(digest, TransferState.Completed, size, size, resumedFrom));
            return new BlobDownloadResult
            {
                Path = target,
                Digest = digest,
                Size = size,
                ResumedFrom = resumedFrom,
                BytesDownloaded = size - resumedFrom,
                Attempts = network.Attempts,
                Elapsed = clock.Elapsed,
            };
        }
        catch (ContentVerificationException)
        {
            // Wrong bytes are worth nothing: the next run must not resume from them. Anything else (Ctrl+C, a dead
            // network) leaves the partial file and its sidecar to resume from.
            partial.Delete();
            throw;
        }
    }

    /// <summary>Hashes the file at <paramref name="path"/> and says whether it is exactly this blob.</summary>
    public static async Task<bool> FileMatchesAsync(string path, Digest digest, long size, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (digest is null)
        {
            throw new ArgumentNullException(nameof(digest));
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: false);
        if (file.Length != size)
        {
            return false;
        }

        using var hash = digest.CreateHash();
        await HashRangeAsync(file, hash, size, digest, size, progress, cancellationToken).ConfigureAwait(false);
        return Digest.FromHash(digest.Algorithm, hash.GetHashAndReset()) == digest;
    }

    private static async Task<long> HashExistingAsync(FileStream file, IncrementalHash hash, Digest digest, long size, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var length = file.Length;
        if (length > size)
        {
            // More bytes than the blob has: not ours to trust. Start over.
            file.SetLength(0);
            return 0;
        }

        await HashRangeAsync(file, hash, length, digest, size, progress, cancellationToken).ConfigureAwait(false);
        file.Seek(length, SeekOrigin.Begin);
        return length;
    }

    private static async Task HashRangeAsync(Stream file, IncrementalHash hash, long length, Digest digest, long size, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        long done = 0;
        while (done < length)
        {
            var read = await file.ReadAsync(buffer, 0, (int)Math.Min(buffer.Length, length - done), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"the file ended after {done} of {length} bytes while being hashed");
            }

            hash.AppendData(buffer, 0, read);
            done += read;
            progress?.Report(new TransferProgress(digest, TransferState.Verifying, done, size, 0));
        }
    }

    /// <summary>
    /// Copies with two buffers so that writing one to disk overlaps receiving and hashing the next: on two cores
    /// that keeps the network, SHA-256 and the disk busy at once.
    /// </summary>
    private static async Task CopyAsync(Stream source, FileStream file, Digest digest, long size, long resumedFrom, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var front = new byte[BufferSize];
        var back = new byte[BufferSize];
        var done = resumedFrom;
        Task pendingWrite = Task.CompletedTask;
        try
        {
            while (true)
            {
                var read = await FillAsync(source, front, cancellationToken).ConfigureAwait(false);
                await pendingWrite.ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                pendingWrite = file.WriteAsync(front, 0, read, CancellationToken.None);
                done += read;
                progress?.Report(new TransferProgress(digest, TransferState.Downloading, done, size, resumedFrom));
                (front, back) = (back, front);
            }
        }
        catch
        {
            // Let the last write land before the file is closed, so the partial file holds every byte received.
            try
            {
                await pendingWrite.ConfigureAwait(false);
            }
            catch (IOException)
            {
            }

            throw;
        }
    }

    /// <summary>Reads until the buffer is full or the stream ends, so disk writes stay large.</summary>
    private static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await source.ReadAsync(buffer, filled, buffer.Length - filled, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private static FileStream OpenExclusive(string path, FileMode mode)
    {
        try
        {
            return new FileStream(path, mode, FileAccess.ReadWrite, FileShare.None, BufferSize, useAsync: false);
        }
        catch (IOException e) when (File.Exists(path))
        {
            throw new OciException($"'{path}' is in use: another download of the same blob to the same place may be running", e);
        }
    }
}
