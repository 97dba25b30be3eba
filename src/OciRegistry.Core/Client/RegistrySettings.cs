using System.Collections.Generic;

namespace OciRegistry.Core.Client;

/// <summary>What the user's registry configuration says about one registry.</summary>
public sealed class RegistrySettings
{
    /// <summary>Creates settings for <paramref name="registry"/>.</summary>
    public RegistrySettings(string registry) => Registry = registry;

    /// <summary>The registry, as in a reference (<c>docker.io</c>, <c>registry.corp:5000</c>).</summary>
    public string Registry { get; }

    /// <summary>Mirrors to pull through first, in order (<c>host[:port]</c> or a URL).</summary>
    public IReadOnlyList<string> Mirrors { get; set; } = [];

    /// <summary>Plain HTTP for this registry (as <c>-AllowInsecure</c>); null says nothing.</summary>
    public bool? Insecure { get; set; }

    /// <summary>HTTPS or HTTP whatever the host (as <c>-Scheme</c>); null says nothing.</summary>
    public RegistryScheme? Scheme { get; set; }

    /// <summary>Certificate authority files to trust for this registry (as <c>-CertificateAuthority</c>).</summary>
    public IReadOnlyList<string> CertificateAuthority { get; set; } = [];

    /// <summary>A client certificate for the registry (as <c>-CertificatePath</c>): a PFX without password, or a PEM certificate and key.</summary>
    public IReadOnlyList<string> ClientCertificate { get; set; } = [];

    /// <summary>Where these settings were read from: the configuration file, or Docker's daemon.json.</summary>
    public string? Source { get; set; }
}
