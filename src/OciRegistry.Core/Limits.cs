namespace OciRegistry.Core;

/// <summary>
/// Caps for every body read into memory (DESIGN.md: "Every body read into memory has a size cap") and for every
/// count that input from outside could make unbounded (redirects, pages, nesting), in one place. In the Core root so
/// that every part (client, transfer, layout) uses these numbers rather than restating them.
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

    /// <summary>
    /// The response header block, in KiB (the unit HttpClientHandler counts in): a registry's headers are a few
    /// hundred bytes; a block larger than this is not one, and fails at once instead of being retried.
    /// </summary>
    public const int ResponseHeadersKiB = 16;

    /// <summary>One <c>WWW-Authenticate</c> header: a challenge is a scheme and a few parameters.</summary>
    public const int ChallengeHeaderChars = 16 * 1024;

    /// <summary>Parameters in one challenge (realm, service, scope, error…); more is not a registry talking.</summary>
    public const int ChallengeParameters = 64;

    /// <summary>What a credential helper may print on stderr, of which the start is kept for the error message.</summary>
    public const long CredentialHelperErrorBytes = 64 * 1024;

    /// <summary>One warning's text, in characters, as shown to the user.</summary>
    public const int WarningTextChars = 1024;

    /// <summary>Warnings shown from one response.</summary>
    public const int MaxWarnings = 16;

    /// <summary>
    /// A registry's error message or plain-text body, in characters, as put into an error: a sentence, not a page.
    /// </summary>
    public const int ErrorTextChars = 200;

    /// <summary>The sidecar that names the blob a partial download belongs to: one small JSON object.</summary>
    public const long SidecarBytes = 4096;

    /// <summary>An OCI layout's <c>oci-layout</c> file: one small JSON object.</summary>
    public const long LayoutFileBytes = 64 * 1024;

    /// <summary>An OCI layout's <c>index.json</c> when a save adds to it: one entry per saved image, far larger than a manifest may be.</summary>
    public const long LayoutIndexBytes = 16L * 1024 * 1024;

    /// <summary>How deep indexes may nest (an index of indexes of …), in a registry or in a layout.</summary>
    public const int MaxIndexDepth = 8;

    /// <summary>How many redirects one request may follow.</summary>
    public const int MaxRedirects = 10;

    /// <summary>How many tag pages a listing follows before it assumes the registry is looping.</summary>
    public const int MaxTagPages = 100_000;

    /// <summary>How many catalog pages a listing follows before it assumes the registry is looping.</summary>
    public const int MaxCatalogPages = 100_000;

    /// <summary>How many referrers pages a listing follows before it assumes the registry is looping.</summary>
    public const int MaxReferrersPages = 10_000;

    /// <summary>
    /// The smallest chunk a chunked upload sends (the last one excepted): Amazon ECR refuses parts under 5 MiB, as
    /// S3 multipart uploads do.
    /// </summary>
    public const long MinUploadChunkBytes = 5L * 1024 * 1024;

    /// <summary>
    /// The largest chunk an upload holds in memory, and so the most a registry's <c>OCI-Chunk-Min-Length</c> may ask
    /// for and the largest blob sent in one PUT.
    /// </summary>
    public const long MaxUploadChunkBytes = 256L * 1024 * 1024;

    /// <summary>
    /// How many times a referrers tag index is read and written again when another writer changed it meanwhile.
    /// </summary>
    public const int MaxReferrersTagAttempts = 5;
}
