using System;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Core.Push;

/// <summary>
/// Puts one blob into a repository, as cheaply as the registry allows
/// (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs):
/// <list type="number">
/// <item>HEAD: a blob the repository has is skipped;</item>
/// <item>a cross-repository mount when the blob is in another repository of the same registry (a 202 instead of
/// the 201 is the registry declining: the session it opened takes the upload);</item>
/// <item>a small blob in one PUT after the POST (POST+PUT, the form every registry takes);</item>
/// <item>a large one in PATCH chunks of <see cref="UploadOptions.ChunkSize"/> (at least 5 MiB, ECR's minimum, and
/// at least the registry's <c>OCI-Chunk-Min-Length</c>), then a PUT without body.</item>
/// </list>
/// Each PATCH body streams from the source as it is sent, so nothing but a small copy buffer is held. When a chunk
/// fails (a reset, a 5xx, a 429, a 416), the uploader waits under the client's backoff policy, asks the registry
/// where the upload stands (GET on the upload URL, its <c>Range: 0-N</c>) and goes on from there by opening the
/// source again at that offset. The count of failures in a row resets whenever the registry took bytes since the last one.
/// The registry checks the digest at the final <c>PUT ?digest=</c>; a mismatch is its 400 <c>DIGEST_INVALID</c>,
/// thrown as a <see cref="RegistryResponseException"/> (not retried: the bytes are wrong, not the network).
/// </summary>
public sealed class BlobUploader
{
    private readonly RegistryClient _destination;
    private readonly long _monolithicLimit;
    private readonly long _chunkSize;

    /// <summary>Creates an uploader into <paramref name="destination"/>, whose retry settings and clock it shares.</summary>
    public BlobUploader(RegistryClient destination, UploadOptions? options = null)
    {
        _destination = destination ?? throw new ArgumentNullException(nameof(destination));
        options ??= new UploadOptions();
        if (options.ChunkSize < Limits.MinUploadChunkBytes || options.ChunkSize > Limits.MaxUploadChunkBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ChunkSize,
                $"The chunk size must be between {Limits.MinUploadChunkBytes} and {Limits.MaxUploadChunkBytes} bytes.");
        }

        if (options.MonolithicLimit < 0 || options.MonolithicLimit > Limits.MaxUploadChunkBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MonolithicLimit,
                $"The monolithic limit must be between 0 and {Limits.MaxUploadChunkBytes} bytes.");
        }

        _monolithicLimit = options.MonolithicLimit;
        _chunkSize = options.ChunkSize;
    }

    /// <summary>Puts <paramref name="blob"/> into <paramref name="repository"/> unless it is there already.</summary>
    /// <param name="repository">The destination repository, on the destination client's registry (tag and digest ignored).</param>
    /// <param name="blob">The blob: digest and size (the media type is not needed).</param>
    /// <param name="open">
    /// Opens the blob's bytes from an offset: a <c>ResumingBlobStream</c> at that offset for a registry source, a
    /// seeked <see cref="FileStream"/> for a file. Called once, and again at the registry's offset after a failed
    /// chunk; the uploader disposes each stream.
    /// </param>
    /// <param name="mountFrom">A repository of the same registry that has the blob, to mount from; null for none.</param>
    /// <param name="progress">Receives progress: bytes the registry holds, waits before retries.</param>
    /// <param name="cancellationToken">Stops the upload and any wait.</param>
    public async Task<BlobUploadResult> UploadAsync(
        Reference repository,
        Descriptor blob,
        Func<long, CancellationToken, Task<Stream>> open,
        string? mountFrom = null,
        IProgress<TransferProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (repository is null || blob is null || open is null)
        {
            throw new ArgumentNullException(repository is null ? nameof(repository) : blob is null ? nameof(blob) : nameof(open));
        }

        if (blob.Size < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(blob), blob.Size, "The blob's size must be known.");
        }

        if (mountFrom is not null && !Reference.IsValidRepository(mountFrom))
        {
            throw new InvalidReferenceException(mountFrom, "not a valid repository name");
        }

        var digest = blob.Digest;
        if (await _destination.BlobExistsAsync(repository, digest, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(new TransferProgress(digest, TransferState.Completed, blob.Size, blob.Size, 0));
            return new BlobUploadResult(digest, BlobUploadOutcome.Skipped, 0, 0);
        }

        UploadState? session = null;
        if (mountFrom is not null && mountFrom != repository.Repository)
        {
            session = await _destination.StartUploadAsync(repository, digest, mountFrom, cancellationToken).ConfigureAwait(false);
            if (session.Completed)
            {
                progress?.Report(new TransferProgress(digest, TransferState.Completed, blob.Size, blob.Size, 0));
                return new BlobUploadResult(digest, BlobUploadOutcome.Mounted, 0, 0);
            }
        }

        var result = blob.Size <= _monolithicLimit
            ? await UploadWholeAsync(repository, blob, open, session, progress, cancellationToken).ConfigureAwait(false)
            : await new ChunkedUpload(this, repository, blob, open, progress).RunAsync(session, cancellationToken).ConfigureAwait(false);
        progress?.Report(new TransferProgress(digest, TransferState.Completed, blob.Size, blob.Size, 0));
        return result;
    }

    /// <summary>
    /// POST, then PUT with the whole blob from memory. A transient failure starts again with a new session: a
    /// small blob is cheaper to send again than to ask about.
    /// </summary>
    private async Task<BlobUploadResult> UploadWholeAsync(
        Reference repository, Descriptor blob, Func<long, CancellationToken, Task<Stream>> open, UploadState? session,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var body = new byte[blob.Size];
        using (var source = await open(0, cancellationToken).ConfigureAwait(false))
        {
            await FillAsync(source, body, 0, body.Length, blob, 0, cancellationToken).ConfigureAwait(false);
        }

        long sent = 0;
        for (var failures = 0; ; )
        {
            Exception? failure;
            try
            {
                session ??= await _destination.StartUploadAsync(repository, null, null, cancellationToken).ConfigureAwait(false);
                sent += body.Length;
                await _destination.FinishUploadAsync(session.Location!, blob.Digest, body, body.Length, cancellationToken).ConfigureAwait(false);
                return new BlobUploadResult(blob.Digest, BlobUploadOutcome.Uploaded, sent, 0);
            }
            catch (Exception e) when (IsWorthRetrying(e, cancellationToken))
            {
                failure = e;
            }

            session = null;
            await WaitOrGiveUpAsync(failure, ++failures, blob, 0, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A failure another attempt may mend: a network failure, a transient status, or a 416 (the offsets disagree: ask again).</summary>
    private static bool IsWorthRetrying(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested &&
        (RetryClassifier.IsTransientException(e) || e is RegistryResponseException { StatusCode: 416 });

    /// <summary>
    /// Waits before failure number <paramref name="failures"/> (1 for the first) is retried, as the client's backoff
    /// says; throws the failure itself once the retries are spent or its <c>Retry-After</c> is longer than allowed.
    /// </summary>
    private async Task WaitOrGiveUpAsync(Exception failure, int failures, Descriptor blob, long held, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var backoff = _destination.Backoff;
        var retryAfter = (failure as RegistryResponseException)?.RetryAfter;
        if (failures > backoff.Options.MaxRetries || retryAfter > backoff.Options.MaxRetryAfter)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }

        var delay = backoff.Delay(failures - 1, retryAfter);
        progress?.Report(new TransferProgress(blob.Digest, TransferState.Waiting, held, blob.Size, held, delay));
        await backoff.WaitAsync(delay, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes of the source; a source that ends first does not hold the blob
    /// its descriptor describes.
    /// </summary>
    private static async Task FillAsync(Stream source, byte[] buffer, int offset, int count, Descriptor blob, long position, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            var read = await source.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new ContentVerificationException(ContentKind.Blob,
                    $"the source of the blob {blob.Digest} ended after {position} bytes, but its descriptor says {blob.Size}; nothing was committed", blob.Digest);
            }

            offset += read;
            count -= read;
            position += read;
        }
    }

    /// <summary>
    /// One chunked upload, streamed: each PATCH body is read from the source as it is sent, so downloading and
    /// uploading overlap and no chunk is held in memory. After a failure the registry is asked where the upload
    /// stands and the source is opened again at that offset.
    /// </summary>
    private sealed class ChunkedUpload(BlobUploader owner, Reference repository, Descriptor blob, Func<long, CancellationToken, Task<Stream>> open, IProgress<TransferProgress>? progress)
    {
        private Stream? _source;
        private long _held;
        private long _sent;
        private int _resumes;
        private long _resumedFrom;

        public async Task<BlobUploadResult> RunAsync(UploadState? session, CancellationToken cancellationToken)
        {
            var client = owner._destination;
            try
            {
                session ??= await client.StartUploadAsync(repository, null, null, cancellationToken).ConfigureAwait(false);
                var location = session.Location!;
                var chunk = ChunkLength(session.ChunkMinLength);
                _source = await open(0, cancellationToken).ConfigureAwait(false);
                var failures = 0;
                var heldAtLastFailure = -1L;
                while (_held < blob.Size)
                {
                    var count = (int)Math.Min(chunk, blob.Size - _held);
                    Exception? failure;
                    try
                    {
                        _sent += count;
                        var state = await client.SendChunkAsync(location, _held, _source, count, blob, cancellationToken).ConfigureAwait(false);
                        location = state.Location!;
                        await MoveToAsync(state.Offset, _held + count, cancellationToken).ConfigureAwait(false);
                        progress?.Report(new TransferProgress(blob.Digest, TransferState.Uploading, _held, blob.Size, _resumedFrom));
                        continue;
                    }
                    catch (Exception e) when (IsWorthRetrying(e, cancellationToken))
                    {
                        failure = e;
                    }

                    if (_held > heldAtLastFailure)
                    {
                        failures = 0;
                        heldAtLastFailure = _held;
                    }

                    await owner.WaitOrGiveUpAsync(failure, ++failures, blob, _held, progress, cancellationToken).ConfigureAwait(false);
                    UploadState status;
                    try
                    {
                        status = await client.GetUploadStatusAsync(location, cancellationToken).ConfigureAwait(false);
                    }
                    catch (RegistryResponseException e) when (e.StatusCode == 404)
                    {
                        // The registry forgot the session (expired, or lost with its node): start a new one from byte 0.
                        status = await client.StartUploadAsync(repository, null, null, cancellationToken).ConfigureAwait(false);
                    }

                    location = status.Location!;
                    _resumes++;
                    _resumedFrom = status.Offset;
                    await MoveToAsync(status.Offset, positioned: -1, cancellationToken).ConfigureAwait(false);
                }

                await FinishAsync(location, cancellationToken).ConfigureAwait(false);
                return new BlobUploadResult(blob.Digest, BlobUploadOutcome.Uploaded, _sent, _resumes);
            }
            finally
            {
                _source?.Dispose();
            }
        }

        /// <summary>The chunk size: the configured one, or the registry's minimum when that is larger (within the cap).</summary>
        private long ChunkLength(long? registryMinimum)
        {
            var length = Math.Max(owner._chunkSize, registryMinimum ?? 0);
            if (length > Limits.MaxUploadChunkBytes)
            {
                throw new OciException($"the registry asks for chunks of at least {registryMinimum} bytes (OCI-Chunk-Min-Length), more than the {Limits.MaxUploadChunkBytes} an upload sends at once");
            }

            return Math.Min(length, blob.Size);
        }

        /// <summary>
        /// Goes on from <paramref name="held"/>, the bytes the registry says it holds: the source as it is when it
        /// stands there (<paramref name="positioned"/>), else opened again at that offset.
        /// </summary>
        private async Task MoveToAsync(long held, long positioned, CancellationToken cancellationToken)
        {
            if (held < 0 || held > blob.Size)
            {
                throw new OciException($"the registry says the upload of {blob.Digest} holds {held} bytes, but the blob has {blob.Size}");
            }

            if (held != positioned && held < blob.Size)
            {
                _source?.Dispose();
                _source = null;
                _source = await open(held, cancellationToken).ConfigureAwait(false);
            }

            _held = held;
        }

        /// <summary>
        /// The closing PUT (no body, so the client retries it). When an earlier attempt went through but its answer
        /// was lost, the retry finds no session (404): the blob being there then means done.
        /// </summary>
        private async Task FinishAsync(Uri location, CancellationToken cancellationToken)
        {
            var client = owner._destination;
            try
            {
                await client.FinishUploadAsync(location, blob.Digest, null, 0, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryResponseException e) when (e.StatusCode == 404)
            {
                if (!await client.BlobExistsAsync(repository, blob.Digest, cancellationToken).ConfigureAwait(false))
                {
                    throw;
                }
            }
        }
    }
}
