namespace OciRegistry.Core.Client;

/// <summary>The scheme a registry is spoken to with.</summary>
public enum RegistryScheme
{
    /// <summary>TLS.</summary>
    Https,

    /// <summary>Plain HTTP: no privacy, no proof of who answers.</summary>
    Http,
}
