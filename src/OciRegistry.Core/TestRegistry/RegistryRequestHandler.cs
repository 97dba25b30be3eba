using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.References;

namespace OciRegistry.Core.TestRegistry;

/// <summary>
/// The pull side of the distribution API over a <see cref="ContentStore"/>: version check, manifests, blobs
/// with Range, tag listing. Read-only: every other method is 405.
/// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pull.
/// </summary>
internal sealed class RegistryRequestHandler(ContentStore store)
{
    private const string JsonType = "application/json";
    private const string BlobType = "application/octet-stream";
    private const string ReadableMethods = "GET, HEAD";

    /// <summary>Answers one request. Exceptions are the caller's to turn into a 500 or an abort.</summary>
    public Task HandleAsync(RegistryExchange exchange, CancellationToken cancellationToken)
    {
        var route = RegistryRoute.Match(RegistryRoute.PathOf(exchange.Request.RawUrl));
        var method = exchange.Request.HttpMethod;
        var readable = method is "GET" or "HEAD";
        switch (route.Kind)
        {
            case RegistryRouteKind.NotFound:
                return exchange.SendErrorAsync(HttpStatusCode.NotFound, RegistryErrorCode.NotFound, "no such endpoint in the registry API", cancellationToken);
            case RegistryRouteKind.BlobUpload:
                exchange.SetHeader("Allow", string.Empty);
                return exchange.SendErrorAsync(HttpStatusCode.MethodNotAllowed, RegistryErrorCode.Unsupported, "the test registry is read-only: pushing blobs is not supported", cancellationToken);
            case var _ when !readable:
                exchange.SetHeader("Allow", ReadableMethods);
                return exchange.SendErrorAsync(HttpStatusCode.MethodNotAllowed, RegistryErrorCode.Unsupported, $"the test registry is read-only: {method} is not supported", cancellationToken);
            case RegistryRouteKind.Base:
                return exchange.SendAsync(HttpStatusCode.OK, JsonType, [(byte)'{', (byte)'}'], cancellationToken);
        }

        if (!Reference.IsValidRepository(route.Name))
        {
            return exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.NameInvalid, $"'{route.Name}' is not a valid repository name", cancellationToken);
        }

        return route.Kind switch
        {
            RegistryRouteKind.Manifest => ServeManifestAsync(exchange, route.Name, route.Reference, cancellationToken),
            RegistryRouteKind.Blob => ServeBlobAsync(exchange, route.Name, route.Reference, cancellationToken),
            _ => ServeTagListAsync(exchange, route.Name, cancellationToken),
        };
    }

    // https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
    private Task ServeManifestAsync(RegistryExchange exchange, string name, string reference, CancellationToken cancellationToken)
    {
        StoredManifest? manifest;
        if (Reference.IsValidTag(reference))
        {
            manifest = store.FindManifest(name, reference);
        }
        else if (Digest.TryParse(reference, out var digest, out var problem))
        {
            manifest = store.FindManifest(name, digest);
        }
        else if (reference.IndexOf(':') >= 0)
        {
            return exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.DigestInvalid, $"'{reference}' is not a valid digest: {problem}", cancellationToken);
        }
        else
        {
            return exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.ManifestInvalid, $"'{reference}' is neither a valid tag nor a digest", cancellationToken);
        }

        if (manifest is null)
        {
            return NotFoundAsync(exchange, name, RegistryErrorCode.ManifestUnknown, $"the manifest '{reference}' is not in the repository '{name}'", cancellationToken);
        }

        SetContentHeaders(exchange, manifest.Digest);
        return exchange.SendAsync(HttpStatusCode.OK, manifest.MediaType, manifest.Content, cancellationToken);
    }

    // https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-blobs
    private async Task ServeBlobAsync(RegistryExchange exchange, string name, string reference, CancellationToken cancellationToken)
    {
        if (!Digest.TryParse(reference, out var digest, out var problem))
        {
            await exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.DigestInvalid, $"'{reference}' is not a valid digest: {problem}", cancellationToken).ConfigureAwait(false);
            return;
        }

        var blob = store.FindBlob(name, digest);
        if (blob is null)
        {
            await NotFoundAsync(exchange, name, RegistryErrorCode.BlobUnknown, $"the blob {digest} is not in the repository '{name}'", cancellationToken).ConfigureAwait(false);
            return;
        }

        SetContentHeaders(exchange, blob.Digest);
        exchange.SetHeader("Accept-Ranges", "bytes");
        var range = SelectRange(exchange, blob);
        if (range.Kind == ByteRangeKind.Unsatisfiable)
        {
            exchange.SetHeader("Content-Range", "bytes */" + blob.Size.ToString(CultureInfo.InvariantCulture));
            await exchange.SendErrorAsync((HttpStatusCode)416, RegistryErrorCode.RangeInvalid, $"the range '{exchange.Request.Headers["Range"]}' lies outside the blob of {blob.Size} bytes", cancellationToken).ConfigureAwait(false);
            return;
        }

        var status = HttpStatusCode.OK;
        if (range.Kind == ByteRangeKind.Partial)
        {
            status = HttpStatusCode.PartialContent;
            exchange.SetHeader("Content-Range", string.Format(CultureInfo.InvariantCulture, "bytes {0}-{1}/{2}", range.Start, range.End, blob.Size));
        }

        if (blob.Content is not null)
        {
            await exchange.SendAsync(status, BlobType, blob.Content, range.Start, range.Length, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Opened before any header goes out, so a vanished file is still a clean 500.
        using var file = blob.OpenFile();
        file.Seek(range.Start, System.IO.SeekOrigin.Begin);
        await exchange.SendStreamAsync(status, BlobType, file, range.Start, range.Length, blob.Size, cancellationToken).ConfigureAwait(false);
    }

    // Range is defined for GET only (RFC 9110 §14.2), and If-Range with a different validator asks for everything.
    // An IgnoreRange fault plays a server that does not do ranges at all.
    private static ByteRange SelectRange(RegistryExchange exchange, StoredBlob blob)
    {
        var header = exchange.IsHead || exchange.IgnoreRange ? null : exchange.Request.Headers["Range"];
        var ifRange = exchange.Request.Headers["If-Range"];
        if (ifRange is not null && !string.Equals(ifRange.Trim(), ETag(blob.Digest), StringComparison.Ordinal))
        {
            header = null;
        }

        return ByteRange.Evaluate(header, blob.Size);
    }

    // https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags
    private Task ServeTagListAsync(RegistryExchange exchange, string name, CancellationToken cancellationToken)
    {
        var query = QueryString.FromTarget(exchange.Request.RawUrl);
        int? limit = null;
        if (query.First("n") is { } nText)
        {
            if (!TryParseCount(nText, out var n))
            {
                return exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.PaginationNumberInvalid, $"'{nText}' is not a valid number of tags: use a non-negative integer", cancellationToken);
            }

            limit = n;
        }

        var tags = store.FindTags(name);
        if (tags is null)
        {
            return exchange.SendErrorAsync(HttpStatusCode.NotFound, RegistryErrorCode.NameUnknown, $"the repository '{name}' is not known to the registry", cancellationToken);
        }

        IEnumerable<string> remaining = tags;
        if (query.First("last") is { } last)
        {
            remaining = remaining.Where(tag => string.CompareOrdinal(tag, last) > 0);
        }

        var after = remaining.ToList();
        var page = limit is null ? after : after.Take(limit.Value).ToList();
        if (limit > 0 && after.Count > page.Count)
        {
            var next = string.Format(
                CultureInfo.InvariantCulture,
                "</v2/{0}/tags/list?n={1}&last={2}>; rel=\"next\"",
                name,
                limit.Value,
                Uri.EscapeDataString(page[page.Count - 1]));
            exchange.SetHeader("Link", next);
        }

        var body = JsonContent.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteStartArray("tags");
            foreach (var tag in page)
            {
                writer.WriteStringValue(tag);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        return exchange.SendAsync(HttpStatusCode.OK, JsonType, body, cancellationToken);
    }

    private Task NotFoundAsync(RegistryExchange exchange, string name, string code, string message, CancellationToken cancellationToken) =>
        store.ContainsRepository(name)
            ? exchange.SendErrorAsync(HttpStatusCode.NotFound, code, message, cancellationToken)
            : exchange.SendErrorAsync(HttpStatusCode.NotFound, RegistryErrorCode.NameUnknown, $"the repository '{name}' is not known to the registry", cancellationToken);

    private static void SetContentHeaders(RegistryExchange exchange, Digest digest)
    {
        exchange.SetHeader("Docker-Content-Digest", digest.ToString());
        exchange.SetHeader("ETag", ETag(digest));
    }

    private static string ETag(Digest digest) => "\"" + digest + "\"";

    // Non-negative decimal; a count too large for an int just means "all of them".
    private static bool TryParseCount(string text, out int count)
    {
        count = 0;
        if (text.Length == 0 || text.Any(c => c is < '0' or > '9'))
        {
            return false;
        }

        count = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= int.MaxValue
            ? (int)value
            : int.MaxValue;
        return true;
    }
}
