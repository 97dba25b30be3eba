using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace OciRegistry.Core.Tls;

/// <summary>
/// Docker's and podman's per-registry certificate folders: <c>certs.d/&lt;host[:port]&gt;/</c>, where every
/// <c>*.crt</c> is a certificate authority for that registry and a <c>*.cert</c> with the <c>*.key</c> of the same
/// name is a client certificate. Looked for under <c>/etc/docker</c>, <c>~/.docker</c> and <c>/etc/containers</c>
/// (on Windows <c>%ProgramData%\docker</c> and <c>~\.docker</c>), or only in the folders
/// <c>OCIREGISTRY_CERTS_D</c> lists (separated like <c>PATH</c>).
/// </summary>
/// <remarks>https://docs.docker.com/engine/security/certificates/ and containers-certs.d(5).</remarks>
public static class CertsDirectory
{
    /// <summary>The environment variable that replaces the default folders.</summary>
    public const string OverrideVariable = "OCIREGISTRY_CERTS_D";

    /// <summary>The certs.d folders searched, in order: <see cref="OverrideVariable"/>, or the defaults.</summary>
    public static IReadOnlyList<string> DefaultRoots()
    {
        if (Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } listed)
        {
            return listed.Split([Path.PathSeparator], StringSplitOptions.RemoveEmptyEntries);
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var roots = new List<string>();
        if (Path.DirectorySeparatorChar == '\\')
        {
            roots.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "docker", "certs.d"));
        }
        else
        {
            roots.Add("/etc/docker/certs.d");
        }

        if (home.Length > 0)
        {
            roots.Add(Path.Combine(home, ".docker", "certs.d"));
        }

        if (Path.DirectorySeparatorChar != '\\')
        {
            roots.Add("/etc/containers/certs.d");
        }

        return roots;
    }

    /// <summary>
    /// What the folders hold for <paramref name="registry"/> (<c>host</c> or <c>host:port</c>): its certificate
    /// authorities and its client certificate. A file that cannot be read is reported to <paramref name="warning"/>
    /// and skipped; the first client certificate found wins.
    /// </summary>
    public static (IReadOnlyList<X509Certificate2> Authorities, X509Certificate2? ClientCertificate, IReadOnlyList<string> Folders) Read(
        string registry, IEnumerable<string> roots, Action<string>? warning)
    {
        var authorities = new List<X509Certificate2>();
        X509Certificate2? client = null;
        var folders = new List<string>();
        foreach (var root in roots)
        {
            string folder;
            try
            {
                folder = Path.Combine(root, registry);
            }
            catch (ArgumentException)
            {
                continue; // A name this file system cannot hold (host:port on Windows).
            }

            if (!Directory.Exists(folder))
            {
                continue;
            }

            folders.Add(folder);
            foreach (var file in Files(folder, "*.crt"))
            {
                try
                {
                    authorities.AddRange(CertificateFiles.ReadAuthorities(file));
                }
                catch (CertificateFileException e)
                {
                    warning?.Invoke(e.Message + "; it is skipped.");
                }
            }

            foreach (var certificate in Files(folder, "*.cert"))
            {
                var key = Path.ChangeExtension(certificate, ".key");
                if (client is not null || !File.Exists(key))
                {
                    continue;
                }

                try
                {
                    client = CertificateFiles.ReadClientCertificate(certificate, key);
                }
                catch (CertificateFileException e)
                {
                    warning?.Invoke(e.Message + "; it is skipped.");
                }
            }
        }

        return (authorities, client, folders);
    }

    private static IEnumerable<string> Files(string folder, string pattern)
    {
        try
        {
            // Exactly this extension: the pattern *.cert would also match *.certificate on Windows.
            var extension = pattern.Substring(1);
            return Directory.GetFiles(folder, pattern).Where(f => f.EndsWith(extension, StringComparison.OrdinalIgnoreCase)).OrderBy(f => f, StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
