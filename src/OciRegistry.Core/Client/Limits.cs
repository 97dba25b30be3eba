namespace OciRegistry.Core.Client;

/// <summary>
/// Caps for every body read into memory (DESIGN.md: "Every body read into memory has a size cap"), in one place.
/// </summary>
public static class Limits
{
    /// <summary>Manifests and indexes: 4 MiB, the size the distribution spec asks registries to accept.</summary>
    public const long ManifestBytes = 4L * 1024 * 1024;

    /// <summary>Token service responses: 1 MiB.</summary>
    public const long TokenResponseBytes = 1024 * 1024;

    /// <summary>Error bodies: enough for a spec error list or a short text, never a whole HTML page.</summary>
    public const long ErrorBodyBytes = 8 * 1024;

    /// <summary>One page of a tag list: large repositories answer with tens of thousands of tags at once.</summary>
    public const long TagListPageBytes = 16L * 1024 * 1024;

    /// <summary>Docker's config.json and similar credential files.</summary>
    public const long CredentialFileBytes = 4L * 1024 * 1024;

    /// <summary>What a credential helper may print: its answer is one small JSON object.</summary>
    public const long CredentialHelperOutputBytes = 1024 * 1024;

    /// <summary>Small blobs read into memory (configs, artifact payloads) unless the caller allows more.</summary>
    public const long BlobReadBytes = 4L * 1024 * 1024;

    /// <summary>The most a caller may allow for one blob in memory: a byte array cannot hold 2 GiB, and far less is sane.</summary>
    public const long MaxBlobReadBytes = 1024L * 1024 * 1024;

    /// <summary>One page of the repository catalog, like a tag list page.</summary>
    public const long CatalogPageBytes = 16L * 1024 * 1024;

    /// <summary>
    /// All <c>Warning</c> headers of one response together: the distribution spec forbids registries to send more
    /// than 4096 bytes of warnings, so anything past that is not from a conforming registry and is dropped.
    /// </summary>
    public const int WarningHeaderBytes = 4096;

    /// <summary>How many redirects one request may follow.</summary>
    public const int MaxRedirects = 10;

    /// <summary>How many tag pages a listing follows before it assumes the registry is looping.</summary>
    public const int MaxTagPages = 100_000;

    /// <summary>How many catalog pages a listing follows before it assumes the registry is looping.</summary>
    public const int MaxCatalogPages = 100_000;

    /// <summary>How many referrers pages a listing follows before it assumes the registry is looping.</summary>
    public const int MaxReferrersPages = 10_000;
}
