using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using System.Text.Json;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.TestRegistry;

/// <summary>
/// The distribution API over a <see cref="ContentStore"/>: version check, manifests, blobs with Range, tag listing,
/// referrers and the catalog, and unless read-only the push side (uploads, mounts, manifest PUT) and deletion.
/// https://github.com/opencontainers/distribution-spec/blob/main/spec.md.
/// </summary>
internal sealed partial class RegistryRequestHandler(ContentStore store, UploadArea uploads, bool readOnly = false, bool allowDelete = true, bool referrersApi = true)
{
    private const string JsonType = "application/json";
    private const string BlobType = "application/octet-stream";
    private const string ReadableMethods = "GET, HEAD";

    /// <summary>Whether every write is refused with 405.</summary>
    public bool ReadOnly => readOnly;

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
            case RegistryRouteKind.BlobUpload when readOnly:
                exchange.SetHeader("Allow", string.Empty);
                return exchange.SendErrorAsync(HttpStatusCode.MethodNotAllowed, RegistryErrorCode.Unsupported, "the test registry is read-only: pushing blobs is not supported", cancellationToken);
            case var _ when !readable && readOnly:
                exchange.SetHeader("Allow", ReadableMethods);
                return exchange.SendErrorAsync(HttpStatusCode.MethodNotAllowed, RegistryErrorCode.Unsupported, $"the test registry is read-only: {method} is not supported", cancellationToken);
            case RegistryRouteKind.Base when readable:
                return exchange.SendAsync(HttpStatusCode.OK, JsonType, [(byte)'{', (byte)'}'], cancellationToken);
            case RegistryRouteKind.Catalog when readable:
                return ServeCatalogAsync(exchange, cancellationToken);
            case RegistryRouteKind.Base or RegistryRouteKind.Catalog:
                return MethodNotAllowedAsync(exchange, ReadableMethods, cancellationToken);
        }

        if (!Reference.IsValidRepository(route.Name))
        {
            return exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.NameInvalid, $"'{route.Name}' is not a valid repository name", cancellationToken);
        }

        var deletable = allowDelete ? ", DELETE" : string.Empty;
        return (route.Kind, method) switch
        {
            (RegistryRouteKind.Manifest, "GET" or "HEAD") => ServeManifestAsync(exchange, route.Name, route.Reference, cancellationToken),
            (RegistryRouteKind.Manifest, "PUT") => PutManifestAsync(exchange, route.Name, route.Reference, cancellationToken),
            (RegistryRouteKind.Manifest, "DELETE") when allowDelete => DeleteManifestAsync(exchange, route.Name, route.Reference, cancellationToken),
            (RegistryRouteKind.Manifest, _) => MethodNotAllowedAsync(exchange, "GET, HEAD, PUT" + deletable, cancellationToken),
            (RegistryRouteKind.Blob, "GET" or "HEAD") => ServeBlobAsync(exchange, route.Name, route.Reference, cancellationToken),
            (RegistryRouteKind.Blob, "DELETE") when allowDelete => DeleteBlobAsync(exchange, route.Name, route.Reference, cancellationToken),
            (RegistryRouteKind.Blob, _) => MethodNotAllowedAsync(exchange, ReadableMethods + deletable, cancellationToken),
            (RegistryRouteKind.TagList, "GET" or "HEAD") => ServeTagListAsync(exchange, route.Name, cancellationToken),
            (RegistryRouteKind.Referrers, _) when !referrersApi => exchange.SendErrorAsync(HttpStatusCode.NotFound, RegistryErrorCode.NotFound, "this registry has no referrers API", cancellationToken),
            (RegistryRouteKind.Referrers, "GET" or "HEAD") => ServeReferrersAsync(exchange, route.Name, route.Reference, cancellationToken),
            (RegistryRouteKind.BlobUpload, _) => HandleUploadAsync(exchange, route.Name, route.Reference, method, cancellationToken),
            _ => MethodNotAllowedAsync(exchange, ReadableMethods, cancellationToken),
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
            // Neither a tag nor shaped like a digest: no manifest has that name, so "not found", as the spec answers
            // for a manifest that is not in the repository (and as the reference server does).
            manifest = null;
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

        // A layout's file is hashed on its first GET, before any byte goes out; one that does not match is not there.
        if (!exchange.IsHead && await blob.VerifyAsync(cancellationToken).ConfigureAwait(false) is { } mismatch)
        {
            await NotFoundAsync(exchange, name, RegistryErrorCode.BlobUnknown, mismatch, cancellationToken).ConfigureAwait(false);
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
        if (!TryReadLimit(query, out var limit))
        {
            return exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.PaginationNumberInvalid, $"'{query.First("n")}' is not a valid number of tags: use a non-negative integer", cancellationToken);
        }

        var tags = store.FindTags(name);
        if (tags is null)
        {
            return exchange.SendErrorAsync(HttpStatusCode.NotFound, RegistryErrorCode.NameUnknown, $"the repository '{name}' is not known to the registry", cancellationToken);
        }

        var page = Paginate(exchange, tags, query.First("last"), limit, $"/v2/{name}/tags/list");
        var body = JsonContent.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            WriteStrings(writer, "tags", page);
            writer.WriteEndObject();
        });
        return exchange.SendAsync(HttpStatusCode.OK, JsonType, body, cancellationToken);
    }

    // https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-repositories (the reference
    // registry's /v2/_catalog): the same n/last pagination as tags, over the repositories the request may pull.
    private Task ServeCatalogAsync(RegistryExchange exchange, CancellationToken cancellationToken)
    {
        var query = QueryString.FromTarget(exchange.Request.RawUrl);
        if (!TryReadLimit(query, out var limit))
        {
            return exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.PaginationNumberInvalid, $"'{query.First("n")}' is not a valid number of repositories: use a non-negative integer", cancellationToken);
        }

        var page = Paginate(exchange, [.. store.Repositories.Where(name => exchange.Grants(name, RegistryAction.Pull))], query.First("last"), limit, "/v2/_catalog");
        var body = JsonContent.Write(writer =>
        {
            writer.WriteStartObject();
            WriteStrings(writer, "repositories", page);
            writer.WriteEndObject();
        });
        return exchange.SendAsync(HttpStatusCode.OK, JsonType, body, cancellationToken);
    }

    // https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers: 200 with an index,
    // empty for a subject nobody refers to (or that does not exist); 404 only for a repository that does not exist.
    private Task ServeReferrersAsync(RegistryExchange exchange, string name, string reference, CancellationToken cancellationToken)
    {
        if (!Digest.TryParse(reference, out var subject, out var problem))
        {
            return exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.DigestInvalid, $"'{reference}' is not a valid digest: {problem}", cancellationToken);
        }

        if (!store.ContainsRepository(name))
        {
            return exchange.SendErrorAsync(HttpStatusCode.NotFound, RegistryErrorCode.NameUnknown, $"the repository '{name}' is not known to the registry", cancellationToken);
        }

        IEnumerable<StoredManifest> referrers = store.FindReferrers(name, subject);
        var artifactType = QueryString.FromTarget(exchange.Request.RawUrl).First("artifactType");
        if (artifactType is not null)
        {
            referrers = referrers.Where(m => string.Equals(m.ArtifactType, artifactType, StringComparison.Ordinal));
            exchange.SetHeader("OCI-Filters-Applied", "artifactType");
        }

        var body = JsonContent.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.OciIndex);
            writer.WriteStartArray("manifests");
            foreach (var manifest in referrers)
            {
                writer.WriteStartObject();
                writer.WriteString("mediaType", manifest.MediaType);
                writer.WriteString("digest", manifest.Digest.ToString());
                writer.WriteNumber("size", manifest.Content.LongLength);
                if (manifest.ArtifactType is not null)
                {
                    writer.WriteString("artifactType", manifest.ArtifactType);
                }

                if (manifest.Annotations.Count > 0)
                {
                    writer.WriteStartObject("annotations");
                    foreach (var annotation in manifest.Annotations)
                    {
                        writer.WriteString(annotation.Key, annotation.Value);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        return exchange.SendAsync(HttpStatusCode.OK, MediaTypes.OciIndex, body, cancellationToken);
    }

    // https://github.com/opencontainers/distribution-spec/blob/main/spec.md#deleting-tags and #deleting-manifests:
    // a tag removes just the tag, a digest the manifest and every tag on it.
    private Task DeleteManifestAsync(RegistryExchange exchange, string name, string reference, CancellationToken cancellationToken)
    {
        bool deleted;
        if (Reference.IsValidTag(reference))
        {
            deleted = store.DeleteTag(name, reference);
        }
        else if (Digest.TryParse(reference, out var digest, out var problem))
        {
            deleted = store.DeleteManifest(name, digest);
        }
        else
        {
            return exchange.SendErrorAsync(HttpStatusCode.BadRequest, reference.IndexOf(':') >= 0 ? RegistryErrorCode.DigestInvalid : RegistryErrorCode.ManifestInvalid, $"'{reference}' is neither a valid tag nor a digest", cancellationToken);
        }

        return deleted
            ? exchange.SendEmptyAsync(HttpStatusCode.Accepted, cancellationToken)
            : NotFoundAsync(exchange, name, RegistryErrorCode.ManifestUnknown, $"the manifest '{reference}' is not in the repository '{name}'", cancellationToken);
    }

    // https://github.com/opencontainers/distribution-spec/blob/main/spec.md#deleting-blobs
    private Task DeleteBlobAsync(RegistryExchange exchange, string name, string reference, CancellationToken cancellationToken)
    {
        if (!Digest.TryParse(reference, out var digest, out var problem))
        {
            return exchange.SendErrorAsync(HttpStatusCode.BadRequest, RegistryErrorCode.DigestInvalid, $"'{reference}' is not a valid digest: {problem}", cancellationToken);
        }

        return store.DeleteBlob(name, digest)
            ? exchange.SendEmptyAsync(HttpStatusCode.Accepted, cancellationToken)
            : NotFoundAsync(exchange, name, RegistryErrorCode.BlobUnknown, $"the blob {digest} is not in the repository '{name}'", cancellationToken);
    }

    private static Task MethodNotAllowedAsync(RegistryExchange exchange, string allow, CancellationToken cancellationToken)
    {
        exchange.SetHeader("Allow", allow);
        return exchange.SendErrorAsync(HttpStatusCode.MethodNotAllowed, RegistryErrorCode.Unsupported, $"{exchange.Request.HttpMethod} is not supported here; use {allow}", cancellationToken);
    }

    // The names after `last`, at most `limit` of them, with a Link to the next page when there is one.
    private static List<string> Paginate(RegistryExchange exchange, IReadOnlyList<string> all, string? last, int? limit, string path)
    {
        var after = (last is null ? all : all.Where(item => string.CompareOrdinal(item, last) > 0)).ToList();
        var page = limit is null ? after : after.Take(limit.Value).ToList();
        if (limit > 0 && after.Count > page.Count)
        {
            var next = string.Format(
                CultureInfo.InvariantCulture,
                "<{0}?n={1}&last={2}>; rel=\"next\"",
                path,
                limit.Value,
                Uri.EscapeDataString(page[page.Count - 1]));
            exchange.SetHeader("Link", next);
        }

        return page;
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
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

    // The n of n/last pagination: null when the query has none, false when it is not a non-negative decimal; a
    // count too large for an int just means "all of them".
    private static bool TryReadLimit(QueryString query, out int? limit)
    {
        limit = null;
        if (query.First("n") is not { } text)
        {
            return true;
        }

        if (text.Length == 0 || text.Any(c => c is < '0' or > '9'))
        {
            return false;
        }

        limit = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= int.MaxValue
            ? (int)value
            : int.MaxValue;
        return true;
    }
}
