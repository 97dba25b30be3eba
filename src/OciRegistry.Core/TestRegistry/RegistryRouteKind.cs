namespace OciRegistry.Core.TestRegistry;

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

    /// <summary><c>/v2/&lt;name&gt;/blobs/uploads/…</c>: pushing, which this registry refuses.</summary>
    BlobUpload,
}
