using System;
using System.Buffers;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.TestRegistry.Http;
using OciRegistry.Core;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.TestRegistry;

/// <summary>The push side: blob uploads (monolithic, streamed and chunked), cross-repository mounts, manifest PUT.</summary>
internal sealed partial class RegistryRequestHandler
{
    /// <summary>The largest manifest accepted: the 4 MiB the spec lets every registry rely on.</summary>
    internal const int MaxManifestSize = 4 * 1024 * 1024;

    private const string UploadMethods = "GET, HEAD, PATCH, PUT, DELETE";

    /// <summary>How much of a refused upload's body is still read, so the client sees the 413 rather than a reset.</summary>
    private const long UploadDrainLimit = 64L * 1024 * 1024;

    // https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs
    private async Task HandleUploadAsync(RegistryExchange exchange, string name, string id, string method, CancellationToken cancellationToken)
    {
        if (id.Length == 0)
        {
            await (method == "POST"
                ? StartUploadAsync(exchange, name, cancellationToken)
                : MethodNotAllowedAsync(exchange, "POST", cancellationToken)).ConfigureAwait(false);
            return;
        }

        if (method is not ("GET" or "HEAD" or "PATCH" or "PUT" or "DELETE"))
        {
            await MethodNotAllowedAsync(exchange, UploadMethods, cancellationToken).ConfigureAwait(false);
            return;
        }

        Digest? digest = null;
        if (method == "PUT" && !TryGetDigestParameter(exchange, out digest, out var problem))
        {
            await exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.DigestInvalid, problem, cancellationToken).ConfigureAwait(false);
            return;
        }

        var session = uploads.Find(name, id);
        using var held = session is null ? null : await session.LockAsync(cancellationToken).ConfigureAwait(false);
        if (session is null || session.Ended)
        {
            await exchange.SendErrorAsync(HttpStatusCode.NotFound, RegistryErrorCode.BlobUploadUnknown, $"no upload '{id}' is in progress in the repository '{name}'", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (method is "PATCH" or "PUT" && exchange.Request.ContentLength64 > uploads.MaximumUploadSize - session.Size)
        {
            // Refused on the declared length alone: nothing of the body is stored (and a large one is not even read).
            await RefuseTooLargeAsync(exchange, session, cancellationToken).ConfigureAwait(false);
            return;
        }

        switch (method)
        {
            case "DELETE":
                session.Discard();
                await exchange.SendEmptyAsync(HttpStatusCode.NoContent, cancellationToken).ConfigureAwait(false);
                return;
            case "PATCH":
                if (await AppendChunkAsync(exchange, session, cancellationToken).ConfigureAwait(false))
                {
                    SetUploadHeaders(exchange, session);
                    await exchange.SendEmptyAsync(HttpStatusCode.Accepted, cancellationToken).ConfigureAwait(false);
                }

                return;
            case "PUT":
                if (await AppendChunkAsync(exchange, session, cancellationToken).ConfigureAwait(false))
                {
                    await FinishUploadAsync(exchange, session, digest!, cancellationToken).ConfigureAwait(false);
                }

                return;
            default:
                // https://github.com/opencontainers/distribution-spec/blob/main/spec.md#getting-the-upload-status
                SetUploadHeaders(exchange, session);
                await exchange.SendEmptyAsync(HttpStatusCode.NoContent, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    // POST: a mount (?mount=&from=), a monolithic upload (?digest=) or a new session.
    private async Task StartUploadAsync(RegistryExchange exchange, string name, CancellationToken cancellationToken)
    {
        var query = QueryString.FromTarget(exchange.Request.RawUrl);
        if (query.First("mount") is { } mountText)
        {
            // https://github.com/opencontainers/distribution-spec/blob/main/spec.md#mounting-a-blob-from-another-repository:
            // when the blob cannot be mounted, the answer is a new session, 202.
            if (!Digest.TryParse(mountText, out var mounted, out var problem))
            {
                await exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.DigestInvalid, $"'{mountText}' is not a valid digest: {problem}", cancellationToken).ConfigureAwait(false);
                return;
            }

            var from = query.First("from");
            if (from is not null && Reference.IsValidRepository(from) && exchange.Grants(from, RegistryAction.Pull) && store.MountBlob(from, name, mounted))
            {
                await SendBlobCreatedAsync(exchange, name, mounted, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        var monolithic = query.First("digest") is not null;
        if (monolithic && exchange.Request.ContentLength64 > uploads.MaximumUploadSize)
        {
            await RefuseTooLargeAsync(exchange, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (uploads.Start(name) is not { } session)
        {
            // https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes: TOOMANYREQUESTS.
            await exchange.SendErrorAsync((HttpStatusCode)429, RegistryErrorCode.TooManyRequests, $"the test registry holds {uploads.MaximumUploads} uploads in progress, its limit: finish or cancel one, or wait for an idle one to expire", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!monolithic)
        {
            SetUploadHeaders(exchange, session);
            await exchange.SendEmptyAsync(HttpStatusCode.Accepted, cancellationToken).ConfigureAwait(false);
            return;
        }

        // https://github.com/opencontainers/distribution-spec/blob/main/spec.md#single-post
        using (await session.LockAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!TryGetDigestParameter(exchange, out var digest, out var problem))
            {
                session.Discard();
                await exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.DigestInvalid, problem, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (!await AppendOrDiscardAsync(session, exchange.Request.InputStream, cancellationToken).ConfigureAwait(false))
            {
                await RefuseTooLargeAsync(exchange, session, cancellationToken).ConfigureAwait(false);
                return;
            }

            await FinishUploadAsync(exchange, session, digest, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Appends the request body to the session after checking its <c>Content-Range</c>, if any, against what the
    /// session holds: a chunk must start where the last one ended (416 otherwise) and be as long as it says.
    /// </summary>
    /// <returns>Whether the chunk was taken; false when an error was sent.</returns>
    private async Task<bool> AppendChunkAsync(RegistryExchange exchange, UploadSession session, CancellationToken cancellationToken)
    {
        var header = exchange.Request.Headers["Content-Range"];
        long? declared = null;
        if (header is not null)
        {
            if (!TryParseChunkRange(header, out var start, out var end))
            {
                await exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.BlobUploadInvalid, $"'{header}' is not a chunk range: use <start>-<end>, both inclusive", cancellationToken).ConfigureAwait(false);
                return false;
            }

            var contentLength = exchange.Request.ContentLength64;
            if (start != session.Size || (contentLength >= 0 && contentLength != end - start + 1))
            {
                // https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-a-blob-in-chunks
                SetUploadHeaders(exchange, session);
                var message = start != session.Size
                    ? $"the chunk starts at {start}, but the upload holds {session.Size} bytes: chunks must come in order"
                    : $"the chunk range {header} does not match its Content-Length of {contentLength}";
                await exchange.SendErrorAsync((HttpStatusCode)416, RegistryErrorCode.BlobUploadInvalid, message, cancellationToken).ConfigureAwait(false);
                return false;
            }

            declared = end - start + 1;
        }

        var before = session.Size;
        var length = exchange.Request.ContentLength64;
        if (length > 0 && exchange.TryFire(FaultKind.CutUpload, rule => CutsWithin(rule, before, length)) is { } cut)
        {
            // A reset mid-chunk at a registry that keeps what it received: the client must ask where the upload
            // stands (GET, Range) and go on from there.
            await session.AppendAsync(new CutStream(exchange.Request.InputStream, CutPoint(cut, before, length) - before), uploads.MaximumUploadSize, cancellationToken).ConfigureAwait(false);
            exchange.Abort();
            return false;
        }

        if (await session.AppendAsync(exchange.Request.InputStream, uploads.MaximumUploadSize, cancellationToken).ConfigureAwait(false) is not { } appended)
        {
            await RefuseTooLargeAsync(exchange, session, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (declared is not null && appended != declared)
        {
            session.Truncate(before);
            SetUploadHeaders(exchange, session);
            await exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.SizeInvalid, $"the chunk was {appended} bytes long, not the {declared} its range says", cancellationToken).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    // Where a CutUpload cuts a chunk of length bytes that starts at byte start of the upload: its offset, else halfway.
    private static long CutPoint(FaultRule rule, long start, long length) => rule.Offset ?? start + (length / 2);

    // A cut acts only inside the chunk: after its first byte, before its last one is read.
    private static bool CutsWithin(FaultRule rule, long start, long length)
    {
        var at = CutPoint(rule, start, length);
        return at > start && at < start + length;
    }

    private async Task FinishUploadAsync(RegistryExchange exchange, UploadSession session, Digest digest, CancellationToken cancellationToken)
    {
        var size = session.Size;
        var blob = await session.CompleteAsync(digest, cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            await exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.DigestInvalid, $"the {size} bytes uploaded do not have the digest {digest}", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!store.AddPushedBlob(session.Repository, blob) && blob.Path is { } copy)
        {
            // The pool already had these bytes; the new file is not needed.
            TryDelete(copy);
        }

        await SendBlobCreatedAsync(exchange, session.Repository, digest, cancellationToken).ConfigureAwait(false);
    }

    private static Task SendBlobCreatedAsync(RegistryExchange exchange, string name, Digest digest, CancellationToken cancellationToken)
    {
        exchange.SetHeader("Location", $"/v2/{name}/blobs/{digest}");
        exchange.SetHeader("Docker-Content-Digest", digest.ToString());
        return exchange.SendEmptyAsync(HttpStatusCode.Created, cancellationToken);
    }

    // https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests
    private async Task PutManifestAsync(RegistryExchange exchange, string name, string reference, CancellationToken cancellationToken)
    {
        string? tag = null;
        Digest? expected = null;
        if (Reference.IsValidTag(reference))
        {
            tag = reference;
        }
        else if (Digest.TryParse(reference, out var parsedDigest, out var problem))
        {
            expected = parsedDigest;
        }
        else
        {
            var code = reference.IndexOf(':') >= 0 ? RegistryErrorCode.DigestInvalid : RegistryErrorCode.ManifestInvalid;
            await exchange.SendErrorAsync(HttpStatusCode.BadRequest, code, $"'{reference}' is neither a valid tag nor a digest", cancellationToken).ConfigureAwait(false);
            return;
        }

        var content = await ReadLimitedAsync(exchange.Request, MaxManifestSize, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            await exchange.SendErrorAsync(HttpStatusCode.RequestEntityTooLarge, RegistryErrorCode.SizeInvalid, $"manifests are limited to {MaxManifestSize} bytes", cancellationToken).ConfigureAwait(false);
            return;
        }

        var digest = expected is null ? Digest.Compute(content) : expected.ComputeSame(content);
        if (expected is not null && digest != expected)
        {
            await exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.DigestInvalid, $"the manifest's digest is {digest}, not {expected}", cancellationToken).ConfigureAwait(false);
            return;
        }

        ManifestDocument document;
        try
        {
            document = ManifestParser.Parse(content, exchange.Request.ContentType, digest);
        }
        catch (ManifestFormatException e)
        {
            await exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.ManifestInvalid, e.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (document is ImageManifest image)
        {
            // Layers with URLs (Windows foreign layers) are fetched from elsewhere and never pushed.
            foreach (var descriptor in new[] { image.Config }.Concat(image.Layers).Where(d => d.Urls.Count == 0))
            {
                var blob = store.FindBlob(name, descriptor.Digest);
                if (blob is null)
                {
                    await exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.ManifestBlobUnknown, $"the manifest refers to the blob {descriptor.Digest}, which is not in the repository '{name}'", cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (blob.Size != descriptor.Size)
                {
                    await exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.ManifestInvalid, $"the manifest gives the blob {descriptor.Digest} a size of {descriptor.Size} bytes, but it has {blob.Size}", cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
        }

        store.AddPushedManifest(name, document, content, tag);
        exchange.SetHeader("Location", $"/v2/{name}/manifests/{digest}");
        exchange.SetHeader("Docker-Content-Digest", digest.ToString());
        // Only a registry with the referrers API indexes subjects, and says so; without it, clients keep the tag schema.
        if (document.Subject is { } subject && referrersApi)
        {
            exchange.SetHeader("OCI-Subject", subject.Digest.ToString());
        }

        await exchange.SendEmptyAsync(HttpStatusCode.Created, cancellationToken).ConfigureAwait(false);
    }

    // Whether the body fit the size limit; a body that does not, or cannot be read to its end, ends the session.
    private async Task<bool> AppendOrDiscardAsync(UploadSession session, Stream body, CancellationToken cancellationToken)
    {
        try
        {
            return await session.AppendAsync(body, uploads.MaximumUploadSize, cancellationToken).ConfigureAwait(false) is not null;
        }
        catch
        {
            session.Discard();
            throw;
        }
    }

    // 413 for a request that would take an upload past the size limit; the upload, if any, ends with its bytes. A
    // rest of the body up to UploadDrainLimit is read and thrown away first: closing a connection with unread bytes
    // resets it, and the client, still sending, would see the reset instead of the 413. A larger rest is not read
    // at all; the listener closes the connection after a 413.
    private async Task RefuseTooLargeAsync(RegistryExchange exchange, UploadSession? session, CancellationToken cancellationToken)
    {
        session?.Discard();
        if (exchange.Request.ContentLength64 <= UploadDrainLimit)
        {
            await DrainAsync(exchange.Request.InputStream, UploadDrainLimit, cancellationToken).ConfigureAwait(false);
        }

        await exchange.SendErrorAsync(HttpStatusCode.RequestEntityTooLarge, RegistryErrorCode.SizeInvalid, $"uploads are limited to {uploads.MaximumUploadSize} bytes; the upload was cancelled", cancellationToken).ConfigureAwait(false);
    }

    // Reads and drops up to `limit` bytes of the body.
    private static async Task DrainAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(RegistryExchange.ChunkSize);
        try
        {
            int read;
            for (var total = 0L; total < limit && (read = await body.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0;)
            {
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void SetUploadHeaders(RegistryExchange exchange, UploadSession session)
    {
        exchange.SetHeader("Location", $"/v2/{session.Repository}/blobs/uploads/{session.Id}");
        exchange.SetHeader("Range", "0-" + Math.Max(session.Size - 1, 0).ToString(CultureInfo.InvariantCulture));
        exchange.SetHeader("Docker-Upload-UUID", session.Id);
    }

    private static bool TryGetDigestParameter(RegistryExchange exchange, out Digest digest, out string problem)
    {
        var text = QueryString.FromTarget(exchange.Request.RawUrl).First("digest");
        if (text is null)
        {
            digest = null!;
            problem = "finishing an upload needs the ?digest= of the whole blob";
            return false;
        }

        if (!Digest.TryParse(text, out var parsed, out var why))
        {
            digest = null!;
            problem = $"'{text}' is not a valid digest: {why}";
            return false;
        }

        digest = parsed;
        problem = string.Empty;
        return true;
    }

    // <start>-<end> as the spec writes it; "bytes <start>-<end>[/<total>]" and "bytes=…" as some clients do.
    internal static bool TryParseChunkRange(string header, out long start, out long end)
    {
        start = end = 0;
        var text = header.Trim();
        if (text.StartsWith("bytes", StringComparison.OrdinalIgnoreCase))
        {
            text = text.Substring(5).TrimStart(' ', '=');
        }

        var slash = text.IndexOf('/');
        if (slash >= 0)
        {
            text = text.Substring(0, slash);
        }

        var dash = text.IndexOf('-');
        return dash > 0 &&
            long.TryParse(text.Substring(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out start) &&
            long.TryParse(text.Substring(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out end) &&
            end >= start;
    }

    // The body, or null when it is longer than the limit. A body somewhat too long is still read to its end, so the
    // client gets to see the error instead of a connection reset while it is still sending.
    private static async Task<byte[]?> ReadLimitedAsync(HttpServerRequest request, int limit, CancellationToken cancellationToken)
    {
        const int DrainLimit = 64 * 1024 * 1024;
        if (request.ContentLength64 > DrainLimit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        var total = 0L;
        int read;
        while (total <= DrainLimit && (read = await request.InputStream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total <= limit)
            {
                buffer.Write(chunk, 0, read);
            }
        }

        return total > limit ? null : buffer.ToArray();
    }

    private static void TryDelete(string path)
    {
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

    /// <summary>Reads at most the first bytes of a request body, then reports its end: what a cut connection delivered.</summary>
    private sealed class CutStream(Stream inner, long limit) : ReadOnlyStream
    {
        private long _left = limit;

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (_left <= 0)
            {
                return 0;
            }

            var read = await inner.ReadAsync(buffer, offset, (int)Math.Min(count, _left), cancellationToken).ConfigureAwait(false);
            _left -= read;
            return read;
        }
    }
}
