using System.Linq;
using OciRegistry.Core.Client;

namespace OciRegistry.Output;

/// <summary>One registry's entry in the user's registry configuration (Get-OciRegistryConfig).</summary>
public sealed class OciRegistryConfig
{
    internal OciRegistryConfig(RegistrySettings settings)
    {
        Registry = settings.Registry;
        Mirrors = [.. settings.Mirrors];
        Insecure = settings.Insecure;
        Scheme = settings.Scheme?.ToString();
        CertificateAuthority = [.. settings.CertificateAuthority];
        ClientCertificate = [.. settings.ClientCertificate];
        Source = settings.Source;
    }

    /// <summary>The registry, as in a reference.</summary>
    public string Registry { get; }

    /// <summary>Mirrors pulled through first, in order.</summary>
    public string[] Mirrors { get; }

    /// <summary>Plain HTTP for the registry, as -AllowInsecure; null when not said.</summary>
    public bool? Insecure { get; }

    /// <summary>Https or Http, as -Scheme; null when not said.</summary>
    public string? Scheme { get; }

    /// <summary>Certificate authority files trusted for the registry.</summary>
    public string[] CertificateAuthority { get; }

    /// <summary>The client certificate files used for the registry (a PFX, or a PEM certificate and key).</summary>
    public string[] ClientCertificate { get; }

    /// <summary>The file the entry comes from (the configuration, or Docker's daemon.json).</summary>
    public string? Source { get; }

    /// <inheritdoc/>
    public override string ToString() => Registry + (Mirrors.Length > 0 ? " via " + string.Join(", ", Mirrors) : string.Empty);
}
