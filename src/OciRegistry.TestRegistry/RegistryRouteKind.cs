namespace OciRegistry.TestRegistry;

/// <summary>The endpoints the test registry knows.</summary>
internal enum RegistryRouteKind
{
    /// <summary>No endpoint: 404.</summary>
    NotFound,

    /// <summary><c>/v2/</c>: the API version check.</summary>
    Base,

    /// <summary><c>/v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>.</summary>
    Manifest,

    /// <summary><c>/v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>.</summary>
    Blob,

    /// <summary><c>/v2/&lt;name&gt;/tags/list</c>.</summary>
    TagList,

    /// <summary><c>/v2/&lt;name&gt;/blobs/uploads/[&lt;session&gt;]</c>: pushing a blob (refused when read-only).</summary>
    BlobUpload,

    /// <summary><c>/v2/&lt;name&gt;/referrers/&lt;digest&gt;</c>: the manifests whose subject is the digest.</summary>
    Referrers,

    /// <summary><c>/v2/_catalog</c>: the repository list.</summary>
    Catalog,
}
