using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.LocalFiles;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Transfer;

/// <summary>
/// Downloads one blob to a file: verified or absent, durable, resumable. Bytes stream to
/// <c>&lt;target&gt;.partial</c> while being hashed; only a matching digest moves them to the target, after they
/// are flushed to disk. A dropped connection resumes with a Range request; an interrupted run leaves the partial
/// file and a sidecar naming the blob, and the next run re-hashes those bytes and fetches only the rest. The target,
/// the partial file and the sidecar are opened only as regular files of their own (<see cref="RegularFile"/>): a
/// link, hard link or special file planted at any of those names is refused, and the rename is checked to have
/// moved the very file that was written and verified.
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

    /// <summary>
    /// How many connections may fetch parts of one blob at once (1, the default: one connection, in order). Above
    /// 1, a blob of at least 2 MiB is split into that many parts when the registry answers a ranged request with
    /// 206; one that answers with the whole blob gets one connection. A partial file that parallel ranges left is
    /// resumed part by part whatever this says.
    /// </summary>
    public int ParallelRanges { get; init; } = 1;

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
        var existing = RegularFile.GetStatus(target);
        if (existing.Kind == FileKind.SymbolicLink)
        {
            // Neither trusted (its target could be anywhere) nor replaced: someone put it there.
            throw new FileLinkRefusedException(target);
        }

        if (existing.Kind != FileKind.Missing)
        {
            if (existing.Kind == FileKind.Regular && await FileMatchesAsync(target, digest, size, progress, cancellationToken).ConfigureAwait(false))
            {
                progress?.Report(new TransferProgress(digest, TransferState.Completed, size, size, 0));
                return new BlobDownloadResult { Path = target, Digest = digest, Size = size, AlreadyPresent = true, Elapsed = clock.Elapsed };
            }

            if (existing.Kind != FileKind.Regular)
            {
                throw new FileNotRegularException(target, RegularFile.Describe(existing.Kind));
            }

            if (!overwrite)
            {
                throw new TargetExistsException(target, digest);
            }
        }

        var partial = new PartialDownload(target);
        partial.RefusePlantedFiles();
        var belongs = partial.TryRead(digest, size, out var parts);
        if (parts is not null || (ParallelRanges > 1 && RangedBlobDownload.Worthwhile(size)))
        {
            var ranged = await new RangedBlobDownload(_client, repository, digest, size, partial, progress)
                .RunAsync(target, parts, belongs, Math.Max(1, ParallelRanges), clock, cancellationToken).ConfigureAwait(false);
            if (ranged is not null)
            {
                return ranged;
            }

            // The registry does not serve ranges: what was complete from the start is now a partial file in order.
            belongs = partial.TryRead(digest, size, out parts);
        }

        var hash = digest.CreateHash();
        FileStream? file = null;
        ResumingBlobStream? network = null;
        long resumedFrom = 0;
        try
        {
            if (belongs && parts is null)
            {
                file = OpenExclusive(partial.DataPath, FileMode.Open);
                resumedFrom = await HashExistingAsync(file, hash, digest, size, progress, cancellationToken).ConfigureAwait(false);
            }

            var from = resumedFrom;
            network = new ResumingBlobStream(_client, repository, digest, size, resumedFrom,
                wait => progress?.Report(new TransferProgress(digest, TransferState.Waiting, -1, size, from, wait)));

            // The first request before the first file: a refusal, a missing blob or a wrong size leaves nothing behind.
            await network.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (file is null)
            {
                file = TakeOver(partial);
                OnDisk(partial.SidecarPath, () => partial.WriteSidecar(digest, size, repository.RepositoryOnly().ToString()));
            }
        }
        catch
        {
            hash.Dispose();
            file?.Dispose();
            network?.Dispose();
            throw;
        }

        try
        {
            (ulong, ulong) written;
            using (file)
            using (var writer = new PartialFileWriter(file, resumedFrom, name: partial.DataPath))
            using (network)
            using (hash)
            {
                await CopyVerifiedAsync(network, writer, hash, digest, size, resumedFrom, progress, cancellationToken).ConfigureAwait(false);
                writer.FlushToDisk();
                written = RegularFile.GetStatus(file).Identity;
            }

            return Complete(partial, target, written, digest, size, resumedFrom, network.Attempts, ranges: 1, clock, progress);
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
    /// <exception cref="FileLinkRefusedException">The path is a symbolic link: what it points to is not this file.</exception>
    /// <exception cref="FileNotRegularException">The path is a FIFO, a device or a directory.</exception>
    public static async Task<bool> FileMatchesAsync(string path, Digest digest, long size, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (digest is null)
        {
            throw new ArgumentNullException(nameof(digest));
        }

        using var file = RegularFile.OpenRead(path);
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
    /// Receives, hashes and writes in a pipeline: while one buffer is hashed and written (in parallel with each
    /// other), the next ones are already being received. Hashing and writing keep the order of the bytes. No byte
    /// past <paramref name="size"/> is accepted, and the digest is checked when the last byte is in. The writer
    /// makes the buffers and says where in each the bytes go (<see cref="PartialFileWriter.Space"/>).
    /// </summary>
    /// <remarks>
    /// This is the verifying step; it is not a stream wrapper (as STYLE.md suggests) because a wrapper hashes on
    /// the reading thread, in series with the network. On two cores, overlapping SHA-256 (about 1.35 GB/s) with
    /// the socket and the disk is what keeps a verified download close to an unverified one.
    /// </remarks>
    private static async Task CopyVerifiedAsync(Stream network, PartialFileWriter writer, IncrementalHash hash, Digest digest, long size, long done, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        const int Depth = 4;
        var resumedFrom = done;
        var buffers = new WriteBuffer[Depth];
        var stages = new Task[Depth];
        for (var i = 0; i < Depth; i++)
        {
            stages[i] = Task.CompletedTask;
        }

        var last = Task.CompletedTask;
        try
        {
            for (var k = 0; ; k = (k + 1) % Depth)
            {
                await stages[k].ConfigureAwait(false);
                var buffer = buffers[k] ??= writer.CreateBuffer(BufferSize);
                var space = writer.Space(buffer, done);
                var (read, interruption) = await FillAsync(network, space.Array!, space.Offset, space.Count, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    interruption?.Throw();
                    break;
                }

                if (done + read > size)
                {
                    throw new ContentVerificationException(ContentKind.Blob, $"the blob {digest} is larger than the {size} bytes its descriptor declares; the content was discarded", digest);
                }

                done += read;
                last = stages[k] = HashAndWriteAsync(last, hash, writer, buffer, space.Offset, read);
                progress?.Report(new TransferProgress(digest, TransferState.Downloading, done, size, resumedFrom));

                // Ctrl+C or a dead network after part of a buffer arrived: those bytes are written (above) before the
                // failure is passed on, so the partial file holds every byte received and the next run resumes there.
                interruption?.Throw();
            }

            await last.ConfigureAwait(false);
        }
        catch
        {
            // Let the writes in flight land before the file is closed: the partial file then holds every byte received.
            try
            {
                await last.ConfigureAwait(false);
            }
            catch (IOException)
            {
            }

            throw;
        }
        finally
        {
            foreach (var buffer in buffers)
            {
                buffer?.Dispose();
            }
        }

        if (done != size)
        {
            throw new IOException($"the blob {digest} ended after {done} of {size} bytes");
        }

        var actual = Digest.FromHash(digest.Algorithm, hash.GetHashAndReset());
        if (actual != digest)
        {
            throw new ContentVerificationException(ContentKind.Blob, $"the blob {digest}", digest, actual);
        }
    }

    private static async Task HashAndWriteAsync(Task previous, IncrementalHash hash, PartialFileWriter writer, WriteBuffer buffer, int offset, int count)
    {
        await previous.ConfigureAwait(false);
        var hashing = Task.Run(() => hash.AppendData(buffer.Array, offset, count));
        try
        {
            writer.Write(buffer, offset, count);
        }
        finally
        {
            // The buffer goes back to the pool once this stage ends: never while the hash still reads it.
            await hashing.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads until the buffer is full or the stream ends, so disk writes stay large. A failure after some bytes
    /// arrived is returned beside them rather than thrown, so that the caller can keep those bytes first.
    /// </summary>
    internal static async Task<(int Read, ExceptionDispatchInfo? Interruption)> FillAsync(Stream source, byte[] buffer, int offset, int length, CancellationToken cancellationToken)
    {
        var filled = 0;
        try
        {
            while (filled < length)
            {
                var read = await source.ReadAsync(buffer, offset + filled, length - filled, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }
        }
        catch (Exception e) when (filled > 0)
        {
            return (filled, ExceptionDispatchInfo.Capture(e));
        }

        return (filled, null);
    }

    /// <summary>
    /// Renames the partial file to the target, checking on both sides that the name still holds the file written
    /// and verified: same device and inode (volume and file index on Windows), one link, the blob's size. Another
    /// download whose target is this partial name, or anyone writing into the destination, would otherwise make
    /// the target hold other bytes under this digest (the bytes were hashed as they were written to this very
    /// file, opened exclusively with one link; re-reading a large blob to hash it again would double the cost).
    /// </summary>
    internal static void MoveIntoPlace(PartialDownload partial, string target, (ulong, ulong) written, Digest digest, long size)
    {
        if (!IsTheFileWritten(RegularFile.GetStatus(partial.DataPath), written, size))
        {
            throw new FileReplacedException(partial.DataPath, digest);
        }

        OnDisk(target, () =>
        {
            // Deleting a link or a file removes that name only; a link appearing here since the start is not followed.
            if (RegularFile.GetStatus(target).Kind != FileKind.Missing)
            {
                File.Delete(target);
            }

            File.Move(partial.DataPath, target);
        });
        if (!IsTheFileWritten(RegularFile.GetStatus(target), written, size))
        {
            throw new FileReplacedException(target, digest);
        }
    }

    private static bool IsTheFileWritten(FileStatus status, (ulong, ulong) written, long size) =>
        status.Kind == FileKind.Regular && status.Identity == written && status.LinkCount == 1 && status.Size == size;

    /// <summary>
    /// Opens the partial file unbuffered: every write is large or flushed at once anyway, and a stream buffer holding
    /// bytes the disk refused would throw again on close, hiding the <see cref="FileWriteException"/>. Only a regular
    /// file with one link is opened, never through a link (<see cref="RegularFile.OpenWrite"/>).
    /// </summary>
    internal static FileStream OpenExclusive(string path, FileMode mode)
    {
        try
        {
            return RegularFile.OpenWrite(path, mode);
        }
        catch (IOException e) when (RegularFile.GetStatus(path).Kind != FileKind.Missing)
        {
            throw new OciException($"'{path}' is in use: another download of the same blob to the same place may be running", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileWriteException(path, e);
        }
    }

    /// <summary>
    /// The partial file, empty and locked, with no sidecar beside it: one left by an earlier run is opened (and so
    /// locked) before anything is deleted, so that a run meeting another's live download fails as "in use" instead of
    /// deleting its files; a missing one is created.
    /// </summary>
    internal static FileStream TakeOver(PartialDownload partial)
    {
        var file = RegularFile.GetStatus(partial.DataPath).Kind == FileKind.Missing
            ? OpenExclusive(partial.DataPath, FileMode.CreateNew)
            : OpenExclusive(partial.DataPath, FileMode.Open);
        try
        {
            OnDisk(partial.DataPath, () => file.SetLength(0));
            OnDisk(partial.SidecarPath, partial.DeleteSidecar);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Moves the verified, flushed partial file into place and says what was done.</summary>
    internal static BlobDownloadResult Complete(PartialDownload partial, string target, (ulong, ulong) written, Digest digest, long size,
        long resumedFrom, int attempts, int ranges, Stopwatch clock, IProgress<TransferProgress>? progress)
    {
        MoveIntoPlace(partial, target, written, digest, size);
        partial.DeleteSidecar();
        progress?.Report(new TransferProgress(digest, TransferState.Completed, size, size, resumedFrom));
        return new BlobDownloadResult
        {
            Path = target,
            Digest = digest,
            Size = size,
            ResumedFrom = resumedFrom,
            BytesDownloaded = size - resumedFrom,
            Attempts = attempts,
            Ranges = ranges,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>Runs a step on the local disk, so that its failure reads as the disk's and not the network's.</summary>
    internal static void OnDisk(string path, Action step)
    {
        try
        {
            step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileWriteException(path, e);
        }
    }
}
