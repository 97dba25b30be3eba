namespace OciRegistry.Core;

/// <summary>
/// What kind of content failed a check or a cap, so that hosts can name it (ManifestDigestMismatch, TagListTooLarge)
/// from a fixed list rather than from message text.
/// </summary>
public enum ContentKind
{
    /// <summary>A manifest or index.</summary>
    Manifest,

    /// <summary>A config or layer blob.</summary>
    Blob,

    /// <summary>A page of a repository's tag list.</summary>
    TagList,

    /// <summary>A page of a registry's catalog.</summary>
    Catalog,

    /// <summary>A page of a manifest's referrers.</summary>
    ReferrersList,

    /// <summary>A token endpoint's answer.</summary>
    TokenResponse,
}
