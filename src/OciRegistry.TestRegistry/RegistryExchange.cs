using System;
using System.Buffers;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.TestRegistry.Http;

namespace OciRegistry.TestRegistry;

/// <summary>
/// One request and its response, with the few ways the registry answers: bytes, a stream slice or a spec
/// error. Remembers whether anything reached the wire, so a failure can still become a 500 or must abort.
/// </summary>
/// <remarks>
/// HEAD gets exactly the headers GET would get, Content-Length included, and no body
/// (https://www.rfc-editor.org/rfc/rfc9110#section-9.3.2); the connection stays open after it.
/// </remarks>
internal sealed class RegistryExchange
{
    /// <summary>The size of each write: large enough for loopback throughput, small enough to stop promptly.</summary>
    internal const int ChunkSize = 128 * 1024;

    /// <summary>The read size for blobs served from files: fewer, larger reads and writes keep up with the page cache.</summary>
    internal const int FileChunkSize = 1024 * 1024;

    private const string ApiVersionHeader = "Docker-Distribution-API-Version";

    // Headers an endpoint may have set before failing; a 500 must not carry them.
    private static readonly string[] ContentHeaders = ["Docker-Content-Digest", "ETag", "Accept-Ranges", "Content-Range", "Link", "Allow", "Location", "Range", "Docker-Upload-UUID", "OCI-Subject", "OCI-Filters-Applied"];

    private readonly RequestLog _log;
    private readonly FaultCollection _faults;
    private Stream? _body;

    public RegistryExchange(HttpServerContext context, RequestLogEntry entry, RequestLog log, FaultCollection faults)
    {
        Context = context;
        Entry = entry;
        _log = log;
        _faults = faults;
        IsHead = string.Equals(context.Request.HttpMethod, "HEAD", StringComparison.Ordinal);
        context.Response.Headers[ApiVersionHeader] = "registry/2.0";
    }

    public HttpServerContext Context { get; }

    public HttpServerRequest Request => Context.Request;

    public HttpServerResponse Response => Context.Response;

    /// <summary>What the request log records about this exchange.</summary>
    public RequestLogEntry Entry { get; }

    /// <summary>Fires the first rule of <paramref name="kind"/> that matches this request and <paramref name="applies"/> to it; null when none does.</summary>
    public FaultRule? TryFire(FaultKind kind, Func<FaultRule, bool> applies) => _faults.TryFire(kind, Entry, applies);

    /// <summary>Whether a <see cref="FaultKind.IgnoreRange"/> fault fired: serve the whole blob whatever Range says.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>
    /// Whether the credentials of the request allow an action on a repository (say, pull on the source of a
    /// cross-repository mount); set by authentication, everything when there is none.
    /// </summary>
    public Func<string, RegistryAction, bool> Grants { get; set; } = (_, _) => true;

    /// <summary>The response body, with the body faults that fired; set once the response starts.</summary>
    private Stream Body => _body ?? throw new InvalidOperationException("the response has not started");

    /// <summary>Whether the request is HEAD: headers only.</summary>
    public bool IsHead { get; }

    /// <summary>Whether headers may already be on the wire; after that only aborting is left.</summary>
    public bool HeadersSent { get; private set; }

    /// <summary>Sets a response header.</summary>
    public void SetHeader(string name, string value) => Response.Headers[name] = value;

    /// <summary>Sends <paramref name="body"/> (or, for HEAD, its length) with the status and content type.</summary>
    public Task SendAsync(HttpStatusCode status, string contentType, byte[] body, CancellationToken cancellationToken) =>
        SendAsync(status, contentType, body, 0, body.Length, cancellationToken);

    /// <summary>Sends a slice of <paramref name="body"/>.</summary>
    public async Task SendAsync(HttpStatusCode status, string contentType, byte[] body, long offset, long count, CancellationToken cancellationToken)
    {
        StartResponse(status, contentType, count, offset, body.Length);
        if (!IsHead)
        {
            for (var written = 0L; written < count;)
            {
                var chunk = (int)Math.Min(ChunkSize, count - written);
                await Body.WriteAsync(body, checked((int)(offset + written)), chunk, cancellationToken).ConfigureAwait(false);
                written += chunk;
            }
        }

        await Response.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends headers only: an empty body with <c>Content-Length: 0</c> (201, 202, 204 of the push API).</summary>
    public Task SendEmptyAsync(HttpStatusCode status, CancellationToken cancellationToken)
    {
        StartResponse(status, null, 0, 0, 0);
        return Response.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="count"/> bytes of <paramref name="source"/> from its current position, which is
    /// <paramref name="start"/> in content of <paramref name="total"/> bytes, reading and writing one chunk at a
    /// time. A source that ends early fails the request, which then aborts.
    /// </summary>
    public async Task SendStreamAsync(HttpStatusCode status, string contentType, Stream source, long start, long count, long total, CancellationToken cancellationToken)
    {
        StartResponse(status, contentType, count, start, total);
        if (!IsHead)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(FileChunkSize);
            try
            {
                for (var written = 0L; written < count;)
                {
                    var wanted = (int)Math.Min(buffer.Length, count - written);
                    var read = await source.ReadAsync(buffer, 0, wanted, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new IOException($"the blob ended after {written} of {count} bytes");
                    }

                    await Body.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                    written += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        await Response.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends an error in the spec's shape, <c>{"errors":[{"code":…,"message":…}]}</c>
    /// (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes).
    /// </summary>
    public Task SendErrorAsync(HttpStatusCode status, string code, string message, CancellationToken cancellationToken)
    {
        var body = JsonContent.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("errors");
            writer.WriteStartObject();
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        return SendAsync(status, "application/json", body, cancellationToken);
    }

    /// <summary>Turns a failure before any header was sent into a 500, dropping headers meant for content.</summary>
    public Task SendInternalErrorAsync(Exception error, CancellationToken cancellationToken)
    {
        foreach (var header in ContentHeaders)
        {
            Response.Headers.Remove(header);
        }

        return SendErrorAsync(HttpStatusCode.InternalServerError, RegistryErrorCode.Unknown, $"the test registry failed: {error.Message}", cancellationToken);
    }

    /// <summary>Drops the connection: the only honest answer once part of a response is on the wire.</summary>
    public void Abort()
    {
        HeadersSent = true;
        Entry.MarkAborted();

        // Logged before the connection drops, as an answer is logged before it is sent: a client that reacts to the
        // reset at once (a status GET after a cut upload) must find this request before its own in the log.
        _log.Publish(Entry);
        Abort(Context);
    }

    /// <summary>Drops the connection of a request that never became an exchange.</summary>
    public static void Abort(HttpServerContext context) => context.Response.Abort();

    /// <summary>
    /// Sets status, type and length, logs the exchange and prepares the body: bytes [<paramref name="start"/>,
    /// <paramref name="start"/> + <paramref name="length"/>) of content <paramref name="total"/> bytes long.
    /// Body faults only touch the body of a successful GET.
    /// </summary>
    private void StartResponse(HttpStatusCode status, string? contentType, long length, long start, long total)
    {
        Response.StatusCode = (int)status;
        if (contentType is not null)
        {
            Response.ContentType = contentType;
        }

        Response.ContentLength64 = length;

        // Logged before anything reaches the wire, so a client that saw the response finds the entry.
        Entry.SetStatus((int)status);
        _log.Publish(Entry);
        var plan = !IsHead && (int)status is >= 200 and < 300 && length > 0
            ? BodyFaultPlan.Select(_faults, Entry, start, length, total)
            : null;
        _body = new ResponseBodyStream(Response.OutputStream, Entry, plan, start, Abort);

        // From here on a write or CompleteAsync may put the headers on the wire.
        HeadersSent = true;
    }
}
