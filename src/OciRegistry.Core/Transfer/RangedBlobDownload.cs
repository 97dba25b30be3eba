using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.LocalFiles;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Transfer;

/// <summary>
/// Downloads one blob over several connections, each filling its own part of the partial file (for a registry or a
/// CDN that limits each connection). The hash still runs once, in order: it reads back what the connections wrote,
/// up to the front where the parts are complete from the start. The sidecar lists the parts and how far each got,
/// rewritten every few megabytes and every second, after the bytes it counts were written, so a run killed with
/// every part in flight resumes each where it stopped; the bytes from earlier runs are hashed again like everything
/// else, and only a matching digest moves the file into place. A registry that answers the first ranged request with the whole blob
/// does not do ranges: the download falls back to one connection, keeping the bytes that are complete from the start.
/// </summary>
/// <remarks>
/// Positional writes go through the page cache, one at a time under a lock, not around it with O_DIRECT as the
/// one-connection download does: the hash reads the bytes back, and the page cache is where they are then.
/// </remarks>
internal sealed class RangedBlobDownload
{
    /// <summary>No part is made smaller than this: below it, another connection costs more than it brings.</summary>
    public const long MinimumPart = 1024 * 1024;

    /// <summary>
    /// The size of part a fresh blob is cut into, so that the connections take parts in order and the front the hash
    /// follows keeps moving: a blob cut into as many parts as connections would be hashed mostly after the last byte.
    /// </summary>
    public const long PartSize = 16 * 1024 * 1024;

    private const int BufferSize = 1024 * 1024;
    private const long SidecarEvery = 8 * 1024 * 1024;
    private static readonly TimeSpan SidecarAtLeastEvery = TimeSpan.FromSeconds(1);

    private readonly RegistryClient _client;
    private readonly Reference _repository;
    private readonly Digest _digest;
    private readonly long _size;
    private readonly PartialDownload _partial;
    private readonly IProgress<TransferProgress>? _progress;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _written = new(0, int.MaxValue);
    private readonly Stopwatch _sinceRecorded = new();
    private readonly Dictionary<BlobPart, WriteBehind> _writeBehind = [];
    private List<BlobPart> _parts = [];
    private FileStream? _file;
    private long _done;
    private long _recorded;
    private long _resumed;
    private int _attempts;

    public RangedBlobDownload(RegistryClient client, Reference repository, Digest digest, long size, PartialDownload partial, IProgress<TransferProgress>? progress)
    {
        _client = client;
        _repository = repository;
        _digest = digest;
        _size = size;
        _partial = partial;
        _progress = progress;
    }

    /// <summary>Whether a blob of <paramref name="size"/> bytes is worth splitting at all.</summary>
    public static bool Worthwhile(long size) => size >= 2 * MinimumPart;

    /// <summary>
    /// Downloads the blob into place at <paramref name="target"/> over up to <paramref name="connections"/>
    /// connections, resuming the parts in <paramref name="resumed"/> (read from the sidecar; null when there is no
    /// partial file of this blob, or one written in order, when <paramref name="belongs"/>). Null when the registry
    /// does not serve ranges: the partial file is then one to resume in order, or absent.
    /// </summary>
    public async Task<BlobDownloadResult?> RunAsync(string target, List<BlobPart>? resumed, bool belongs, int connections, Stopwatch clock, CancellationToken cancellationToken)
    {
        var source = _repository.RepositoryOnly().ToString();
        try
        {
            if (belongs)
            {
                _file = BlobDownloader.OpenExclusive(_partial.DataPath, FileMode.Open);
                var length = _file.Length;
                _parts = resumed ?? (length <= _size ? [new BlobPart(0, _size, length)] : []);
                if (_parts.Count == 0 || length > _size || _parts.Any(p => p.Done > 0 && p.Next > length))
                {
                    // Bytes the sidecar counts that the file does not hold, or more bytes than the blob has: nothing of
                    // it is to be trusted. The file stays open (and locked) to be emptied below.
                    belongs = false;
                }
            }

            if (!belongs)
            {
                _parts = [new BlobPart(0, _size, 0)];
            }

            _resumed = _done = _parts.Sum(p => p.Done);
            // Parts a sidecar listed stay as they are (split further only for more connections than parts missing).
            Split(_parts, resumed is null ? Parts(_parts.Sum(p => p.Missing), connections) : connections);
            var first = _parts.FirstOrDefault(p => p.Missing > 0);
            ResumingBlobStream? opened = null;
            if (first is not null)
            {
                // The first request before the first file, as in order: a refusal or a missing blob leaves nothing behind.
                opened = Part(first);
                try
                {
                    await opened.OpenAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (RangeNotServedException)
                {
                    opened.Dispose();
                    FallBackToOrder(source);
                    return null;
                }
                catch
                {
                    opened.Dispose();
                    throw;
                }
            }

            try
            {
                if (!belongs)
                {
                    _file ??= BlobDownloader.TakeOver(_partial);
                    _file.SetLength(0);
                    _partial.DeleteSidecar();
                    RecordParts(source, create: true);
                }
                else
                {
                    RecordParts(source);
                }
            }
            catch
            {
                opened?.Dispose();
                throw;
            }

            int used;
            try
            {
                used = await TransferAsync(first, opened, connections, source, cancellationToken).ConfigureAwait(false);
            }
            catch (RangeNotServedException)
            {
                // Ranges were served at first and no longer (a mirror or an edge that ignores them): whatever is
                // complete from the start goes on in order, rather than each part skipping to its place in the whole.
                FallBackToOrder(source);
                return null;
            }

            return Finish(target, used, clock);
        }
        catch (ContentVerificationException)
        {
            // Wrong bytes are worth nothing: the next run must not resume from them.
            Close();
            _partial.Delete();
            throw;
        }
        finally
        {
            Close();
            _written.Dispose();
        }
    }

    /// <summary>
    /// How many parts to cut <paramref name="missing"/> bytes into for <paramref name="connections"/>: one per
    /// <see cref="PartSize"/>, at least one per connection, at most <see cref="BlobPart.MaximumCount"/>.
    /// </summary>
    internal static int Parts(long missing, int connections) =>
        (int)Math.Min(BlobPart.MaximumCount, Math.Max(connections, missing / PartSize));

    /// <summary>
    /// Splits the part with the most bytes missing into equal pieces until <paramref name="wanted"/> parts are
    /// missing bytes, none smaller than <see cref="MinimumPart"/>, no more than <see cref="BlobPart.MaximumCount"/> in all.
    /// </summary>
    internal static void Split(List<BlobPart> parts, int wanted)
    {
        while (true)
        {
            var unfinished = parts.Count(p => p.Missing > 0);
            var widest = parts.Where(p => p.Missing > 0).OrderByDescending(p => p.Missing).FirstOrDefault();
            if (widest is null || unfinished >= wanted)
            {
                return;
            }

            var pieces = (int)Math.Min(Math.Min(wanted - unfinished + 1, widest.Missing / MinimumPart), BlobPart.MaximumCount - parts.Count + 1);
            if (pieces < 2)
            {
                return;
            }

            var from = widest.Next;
            var end = widest.End;
            var step = (end - from) / pieces;
            var at = parts.IndexOf(widest);
            var cuts = Enumerable.Range(1, pieces - 1).Select(i => from + (i * step)).ToList();
            widest.End = cuts[0];
            for (var i = 0; i < cuts.Count; i++)
            {
                parts.Insert(at + 1 + i, new BlobPart(cuts[i], i + 1 < cuts.Count ? cuts[i + 1] : end, 0));
            }
        }
    }

    private async Task<int> TransferAsync(BlobPart? first, ResumingBlobStream? opened, int connections, string source, CancellationToken cancellationToken)
    {
        // The first part goes to the connection already open for it; the others to whichever connection is free.
        var queue = new Queue<BlobPart>(_parts.Where(p => p.Missing > 0 && p != first));
        var workers = Math.Max(1, Math.Min(connections, queue.Count + (first is null ? 0 : 1)));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ExceptionDispatchInfo? failure = null;
        var hash = _digest.CreateHash();
        async Task Guard(Func<Task> work)
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                lock (_gate)
                {
                    if (failure is null && !(e is OperationCanceledException && stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
                    {
                        failure = ExceptionDispatchInfo.Capture(e);
                    }
                }

                stop.Cancel();
            }
            finally
            {
                _written.Release();
            }
        }

        try
        {
            var tasks = new List<Task>();
            for (var i = 0; i < workers; i++)
            {
                var (part, stream) = i == 0 ? (first, opened) : (null, null);
                tasks.Add(Task.Run(() => Guard(() => WorkAsync(queue, part, stream, source, stop.Token))));
            }

            opened = null;
            var hashing = Task.Run(() => Guard(() => HashAsync(hash, stop.Token)));
            await Task.WhenAll(tasks).ConfigureAwait(false);
            if (failure is null && _parts.Any(p => p.Missing > 0))
            {
                failure = ExceptionDispatchInfo.Capture(new IOException($"the blob {_digest} ended after {_done} of {_size} bytes"));
                stop.Cancel();
            }

            await hashing.ConfigureAwait(false);
            if (failure is null && cancellationToken.IsCancellationRequested)
            {
                failure = ExceptionDispatchInfo.Capture(new OperationCanceledException(cancellationToken));
            }

            if (failure is not null)
            {
                lock (_gate)
                {
                    // What every part got to, for the next run; the bytes are in the file already.
                    TryRecordParts(source);
                }

                failure.Throw();
            }

            var actual = Digest.FromHash(_digest.Algorithm, hash.GetHashAndReset());
            if (actual != _digest)
            {
                throw new ContentVerificationException(ContentKind.Blob, $"the blob {_digest}", _digest, actual);
            }

            return workers;
        }
        finally
        {
            opened?.Dispose();
            hash.Dispose();
        }
    }

    /// <summary>A stream over what <paramref name="part"/> misses; its first answer must be a 206 (else <see cref="RangeNotServedException"/>).</summary>
    private ResumingBlobStream Part(BlobPart part) =>
        new(_client, _repository, _digest, _size, part.Next, part.End, requireRange: true, onWait: null);

    /// <summary>One connection: takes parts from the queue and fills them, reconnecting where a part's bytes broke off.</summary>
    private async Task WorkAsync(Queue<BlobPart> queue, BlobPart? assigned, ResumingBlobStream? opened, string source, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        while (true)
        {
            var part = assigned;
            assigned = null;
            lock (_gate)
            {
                if (part is null && queue.Count == 0)
                {
                    return;
                }

                part ??= queue.Dequeue();
            }

            using var network = opened ?? Part(part);
            opened = null;
            try
            {
                while (part.Missing > 0)
                {
                    var (read, interruption) = await BlobDownloader.FillAsync(network, buffer, 0, (int)Math.Min(buffer.Length, part.Missing), cancellationToken).ConfigureAwait(false);
                    if (read > 0)
                    {
                        Write(part, buffer, read, source);
                    }

                    interruption?.Throw();
                    if (read == 0)
                    {
                        throw new IOException($"the blob {_digest} ended at byte {part.Next} of the part {part}");
                    }
                }
            }
            finally
            {
                Interlocked.Add(ref _attempts, network.Attempts);
            }
        }
    }

    private void Write(BlobPart part, byte[] buffer, int count, string source)
    {
        lock (_gate)
        {
            var file = _file!;
            try
            {
                file.Position = part.Next;
                file.Write(buffer, 0, count);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FileWriteException(_partial.DataPath, e);
            }

            // Counted only once written: the sidecar never says more than the file holds.
            part.Done += count;
            if (!_writeBehind.TryGetValue(part, out var writeBehind))
            {
                // The disk starts on each part's bytes as they come, so the fsync before the rename has little left.
                _writeBehind[part] = writeBehind = new WriteBehind(file, part.Next - count);
            }

            writeBehind.Written(part.Next);
            _done += count;
            if (_done - _recorded >= SidecarEvery || _sinceRecorded.Elapsed >= SidecarAtLeastEvery)
            {
                // A record that fails (another process reading the sidecar on Windows) is tried again at the next
                // one: the last record is behind, never ahead, of the file.
                TryRecordParts(source);
            }

            _progress?.Report(new TransferProgress(_digest, TransferState.Downloading, _done, _size, _resumed));
        }

        _written.Release();
    }

    /// <summary>Hashes the bytes in order as the front where the parts are complete from the start moves on.</summary>
    private async Task HashAsync(IncrementalHash hash, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        long hashed = 0;
        while (hashed < _size)
        {
            int read;
            lock (_gate)
            {
                var front = Front();
                read = (int)Math.Min(buffer.Length, front - hashed);
                if (read > 0)
                {
                    var file = _file!;
                    file.Position = hashed;
                    read = ReadFully(file, buffer, read);
                }
            }

            if (read > 0)
            {
                hash.AppendData(buffer, 0, read);
                hashed += read;
                continue;
            }

            await _written.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private long Front()
    {
        foreach (var part in _parts)
        {
            if (part.Missing > 0)
            {
                return part.Next;
            }
        }

        return _size;
    }

    private static int ReadFully(FileStream file, byte[] buffer, int count)
    {
        var done = 0;
        while (done < count)
        {
            var read = file.Read(buffer, done, count - done);
            if (read == 0)
            {
                throw new IOException($"'{file.Name}' ended at byte {file.Position} while its bytes were being hashed");
            }

            done += read;
        }

        return done;
    }

    private BlobDownloadResult Finish(string target, int connections, Stopwatch clock)
    {
        var file = _file!;
        BlobDownloader.OnDisk(_partial.DataPath, () => file.Flush(flushToDisk: true));
        var written = RegularFile.GetStatus(file).Identity;
        Close();
        return BlobDownloader.Complete(_partial, target, written, _digest, _size, _resumed, _attempts, connections, clock, _progress);
    }

    /// <summary>
    /// The registry does not serve ranges: keeps what is complete from the start of the partial file, as a partial
    /// file written in order (its sidecar without parts), and lets the one-connection download go on from there.
    /// </summary>
    private void FallBackToOrder(string source)
    {
        if (_file is null)
        {
            return;
        }

        var front = Front();
        BlobDownloader.OnDisk(_partial.DataPath, () => _file.SetLength(front));
        Close();
        BlobDownloader.OnDisk(_partial.SidecarPath, () =>
        {
            _partial.DeleteSidecar();
            _partial.WriteSidecar(_digest, _size, source);
        });
    }

    private void RecordParts(string source, bool create = false)
    {
        BlobDownloader.OnDisk(_partial.SidecarPath, () => _partial.RecordParts(_digest, _size, source, _parts, create));
        _recorded = _done;
        _sinceRecorded.Restart();
    }

    private void TryRecordParts(string source)
    {
        try
        {
            RecordParts(source);
        }
        catch (OciException)
        {
            // The failure being reported matters more; the next run hashes what the sidecar did record.
        }
    }

    private void Close()
    {
        _file?.Dispose();
        _file = null;
    }
}
