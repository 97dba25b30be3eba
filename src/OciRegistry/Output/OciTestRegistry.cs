using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using OciRegistry.TestRegistry;

namespace OciRegistry.Output;

/// <summary>
/// A running in-process test registry. Point references at <see cref="Host"/>
/// (<c>"$($registry.Host)/samples/hello:1.0"</c>); change its faults with <c>Add-OciTestRegistryFault</c> and
/// <c>Clear-OciTestRegistryFault</c>, read what clients asked for with <c>Get-OciTestRegistryRequest</c>, and stop it
/// with <c>Stop-OciTestRegistry</c> or <see cref="Stop"/>.
/// </summary>
public sealed class OciTestRegistry : IDisposable
{
    private static readonly List<OciTestRegistry> Running = [];
    private readonly TestRegistryServer _server;

    internal OciTestRegistry(TestRegistryServer server)
    {
        _server = server;
        lock (Running)
        {
            Running.Add(this);
        }
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234/</c>, or <c>https://…</c> with -Tls.</summary>
    public Uri Url => _server.Url;

    /// <summary>The registry part of a reference, e.g. <c>127.0.0.1:41234</c>.</summary>
    public string Host => _server.Host;

    /// <summary>The TCP port.</summary>
    public int Port => _server.Port;

    /// <summary>The base URL of its CDN origin, where Redirect faults send clients (another port: another origin).</summary>
    public Uri CdnUrl => _server.CdnUrl;

    /// <summary>Anonymous, Basic or Bearer.</summary>
    public string Authentication => _server.Authentication.ToString();

    /// <summary>The token endpoint (the bearer challenge's realm); null unless Authentication is Bearer.</summary>
    public Uri? TokenUrl => _server.TokenUrl;

    /// <summary>The throwaway certificate authority of a -Tls registry (no key), for -CertificateAuthority; null without -Tls.</summary>
    public X509Certificate2? CertificateAuthority => _server.Certificates?.Authority;

    /// <summary>
    /// The authority as a PEM file (<c>ca.crt</c>), for -CertificateAuthority, a certs.d folder or skopeo's --cert-dir;
    /// null without -Tls. Deleted when the registry stops.
    /// </summary>
    public string? CertificateAuthorityPath => _server.Certificates?.AuthorityPath;

    /// <summary>A client certificate with its key, issued by <see cref="CertificateAuthority"/>, for -Certificate; null without -Tls.</summary>
    public X509Certificate2? ClientCertificate => _server.Certificates?.ClientCertificate;

    /// <summary>The client certificate and key as a PFX file without a password (<c>client.pfx</c>), for -CertificatePath; null without -Tls.</summary>
    public string? ClientCertificatePath => _server.Certificates?.ClientCertificatePath;

    /// <summary>The client certificate as PEM (<c>client.cert</c>, next to its key <c>client.key</c>), for tools that take PEM pairs; null without -Tls.</summary>
    public string? ClientCertificatePemPath => _server.Certificates?.ClientCertificatePemPath;

    /// <summary>The client certificate's key as PEM (<c>client.key</c>); null without -Tls.</summary>
    public string? ClientKeyPath => _server.Certificates?.ClientKeyPath;

    /// <summary>Whether TLS clients must present a certificate from <see cref="CertificateAuthority"/>: Start-OciTestRegistry -RequireClientCertificate.</summary>
    public bool RequiresClientCertificate => _server.RequiresClientCertificate;

    /// <summary>The faults in force, in the order they act.</summary>
    public OciTestRegistryFault[] Faults => [.. _server.Faults.Select(f => new OciTestRegistryFault(f))];

    /// <summary>Every request handled so far, oldest first (a snapshot; <c>Get-OciTestRegistryRequest</c> filters).</summary>
    public OciTestRegistryRequest[] Requests => [.. _server.Requests.Select(r => new OciTestRegistryRequest(r))];

    /// <summary>Whether it still accepts requests.</summary>
    public bool IsRunning => _server.IsRunning;

    /// <summary>The repositories it serves.</summary>
    public string[] Repositories => _server.Content.Repositories.OrderBy(r => r, StringComparer.Ordinal).ToArray();

    /// <summary>The tags of <paramref name="repository"/>.</summary>
    public string[] GetTags(string repository) => [.. _server.Content.GetTags(repository)];

    /// <summary>Whether writes (pushes and deletes) are refused with 405: Start-OciTestRegistry -ReadOnly.</summary>
    public bool ReadOnly => _server.ReadOnly;

    /// <summary>Adds a blob to <paramref name="repository"/> while the registry runs; returns its digest.</summary>
    public string AddBlob(string repository, byte[] content) => _server.Content.AddBlob(repository, content).ToString();

    /// <summary>
    /// Adds a manifest (its blobs must be added first for clients that fetch them) and points <paramref name="tags"/>
    /// at it; returns its digest. Bytes that do not parse as a supported manifest are served as they are, so tests
    /// can check how scripts cope with malformed or unsupported manifests.
    /// </summary>
    public string AddManifest(string repository, byte[] content, string mediaType, params string[] tags)
    {
        try
        {
            return _server.Content.AddManifest(repository, content, mediaType, tags).ToString();
        }
        catch (Core.Models.ManifestFormatException)
        {
            return _server.Content.AddUncheckedManifest(repository, content, mediaType, tags).ToString();
        }
    }

    /// <summary>Points <paramref name="tag"/> at a manifest already in <paramref name="repository"/>.</summary>
    public void SetTag(string repository, string tag, string digest) =>
        _server.Content.SetTag(repository, tag, Core.References.Digest.Parse(digest));

    /// <summary>The server, for the cmdlets that change its faults and read its log.</summary>
    internal TestRegistryServer Server => _server;

    /// <summary>Stops the registry and frees its ports.</summary>
    public void Stop()
    {
        lock (Running)
        {
            Running.Remove(this);
        }

        _server.Dispose();
    }

    /// <summary>Stops the registry.</summary>
    public void Dispose() => Stop();

    /// <summary>The URL.</summary>
    public override string ToString() => Url.ToString();

    /// <summary>
    /// Every registry started in this process (any runspace) and not yet stopped, oldest first: the registries hold
    /// the process's ports, so that is the set a forgotten one hides in.
    /// </summary>
    internal static OciTestRegistry[] AllRunning()
    {
        lock (Running)
        {
            return [.. Running];
        }
    }

    /// <summary>Stops every registry (module removal).</summary>
    internal static void StopAll()
    {
        foreach (var registry in AllRunning())
        {
            registry.Stop();
        }
    }
}
