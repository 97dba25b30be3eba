using System;

namespace OciRegistry.TestRegistry;

/// <summary>
/// Which endpoint a request path names. Repository names contain slashes, so the path is read from its end:
/// <c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>, <c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>,
/// <c>/v2/&lt;name&gt;/tags/list</c>, <c>/v2/&lt;name&gt;/referrers/&lt;digest&gt;</c>, <c>/v2/&lt;name&gt;/blobs/uploads/[&lt;id&gt;]</c>
/// and <c>/v2/_catalog</c> (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#endpoints).
/// </summary>
internal sealed class RegistryRoute
{
    private const string Prefix = "/v2/";

    private RegistryRoute(RegistryRouteKind kind, string name = "", string reference = "")
    {
        Kind = kind;
        Name = name;
        Reference = reference;
    }

    public RegistryRouteKind Kind { get; }

    /// <summary>The repository name as it appeared in the path (not yet validated).</summary>
    public string Name { get; }

    /// <summary>The tag or digest of a manifest route, the digest of a blob or referrers route, the session of an upload route.</summary>
    public string Reference { get; }

    /// <summary>
    /// Matches the path of a request target as it was sent (still percent-encoded, no query). The path is split
    /// before the name and reference are unescaped, so an escaped '/' or '..' cannot move a segment.
    /// </summary>
    public static RegistryRoute Match(string path)
    {
        if (path is "/v2" or Prefix)
        {
            return new RegistryRoute(RegistryRouteKind.Base);
        }

        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return new RegistryRoute(RegistryRouteKind.NotFound);
        }

        var rest = path.Substring(Prefix.Length);
        if (rest is "_catalog" or "_catalog/")
        {
            return new RegistryRoute(RegistryRouteKind.Catalog);
        }

        const string TagList = "/tags/list";
        if (rest.EndsWith(TagList, StringComparison.Ordinal))
        {
            return new RegistryRoute(RegistryRouteKind.TagList, Unescape(rest.Substring(0, rest.Length - TagList.Length)));
        }

        // Pushing starts with POST /v2/<name>/blobs/uploads/ and continues under that path.
        const string Uploads = "/blobs/uploads";
        var uploads = rest.IndexOf(Uploads + "/", StringComparison.Ordinal);
        uploads = uploads >= 0 || !rest.EndsWith(Uploads, StringComparison.Ordinal) ? uploads : rest.Length - Uploads.Length;
        if (uploads >= 0)
        {
            var session = uploads + Uploads.Length + 1 < rest.Length ? rest.Substring(uploads + Uploads.Length + 1) : string.Empty;
            return session.IndexOf('/') >= 0
                ? new RegistryRoute(RegistryRouteKind.NotFound)
                : new RegistryRoute(RegistryRouteKind.BlobUpload, Unescape(rest.Substring(0, uploads)), Unescape(session));
        }

        var lastSlash = rest.LastIndexOf('/');
        if (lastSlash <= 0 || lastSlash == rest.Length - 1)
        {
            return new RegistryRoute(RegistryRouteKind.NotFound);
        }

        var reference = Unescape(rest.Substring(lastSlash + 1));
        var head = rest.Substring(0, lastSlash);
        var kindSlash = head.LastIndexOf('/');
        var kind = head.Substring(kindSlash + 1);
        var name = kindSlash < 0 ? string.Empty : Unescape(head.Substring(0, kindSlash));
        return kind switch
        {
            "manifests" => new RegistryRoute(RegistryRouteKind.Manifest, name, reference),
            "blobs" => new RegistryRoute(RegistryRouteKind.Blob, name, reference),
            "referrers" => new RegistryRoute(RegistryRouteKind.Referrers, name, reference),
            _ => new RegistryRoute(RegistryRouteKind.NotFound),
        };
    }

    /// <summary>The path of a request target: the raw target without its query, and without scheme and authority
    /// when a client sent the absolute form (RFC 9112 §3.2.2).</summary>
    public static string PathOf(string? rawTarget)
    {
        var target = rawTarget ?? "/";
        var query = target.IndexOfAny(['?', '#']);
        if (query >= 0)
        {
            target = target.Substring(0, query);
        }

        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var pathStart = target.IndexOf('/', target.IndexOf("//", StringComparison.Ordinal) + 2);
            target = pathStart < 0 ? "/" : target.Substring(pathStart);
        }

        return target;
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text);
}
