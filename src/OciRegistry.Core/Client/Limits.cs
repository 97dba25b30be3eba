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

    /// <summary>How many redirects one request may follow.</summary>
    public const int MaxRedirects = 10;

    /// <summary>How many tag pages a listing follows before it assumes the registry is looping.</summary>
    public const int MaxTagPages = 100_000;
}
