namespace OciRegistry.Core.Archive;

/// <summary>What a layer's media type says about whether and how it can be unpacked.</summary>
public enum LayerMediaKind
{
    /// <summary>A tar layer, compressed or not: the OCI and Docker layer types.</summary>
    Tar,

    /// <summary>A layer encrypted with ocicrypt ("+encrypted"): unreadable without the key.</summary>
    Encrypted,

    /// <summary>A non-distributable ("foreign") layer, which registries often do not serve at all.</summary>
    NonDistributable,

    /// <summary>Anything else: an artifact's blob, a Helm chart, a Wasm module, …</summary>
    Unknown,
}
