using System;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Client;

/// <summary>
/// A mirror as configuration files write it: <c>host[:port][/namespace]</c>, optionally behind <c>https://</c> or
/// <c>http://</c>. Checked wherever it comes from (our file, registries.conf, daemon.json): the host and namespace
/// must be what a reference allows, with no user info, query or fragment, so that a mirror entry can only ever
/// name an origin and a path below <c>/v2/</c>.
/// </summary>
public sealed class MirrorEndpoint
{
    private MirrorEndpoint(string registry, string space, RegistryScheme? scheme)
    {
        Registry = registry;
        Namespace = space;
        Scheme = scheme;
    }

    /// <summary>The mirror's <c>host[:port]</c>.</summary>
    public string Registry { get; }

    /// <summary>The namespace the registry's repositories are served under, or empty.</summary>
    public string Namespace { get; }

    /// <summary>The scheme the entry fixes, or null to choose as for any registry.</summary>
    public RegistryScheme? Scheme { get; }

    /// <summary>Parses <paramref name="text"/>; <paramref name="problem"/> says why not, without echoing any credentials.</summary>
    public static bool TryParse(string text, out MirrorEndpoint? endpoint, out string? problem)
    {
        endpoint = null;
        problem = null;
        var rest = (text ?? string.Empty).Trim().TrimEnd('/');
        RegistryScheme? scheme = null;
        var separator = rest.IndexOf("://", StringComparison.Ordinal);
        if (separator >= 0)
        {
            var prefix = rest.Substring(0, separator).ToLowerInvariant();
            if (prefix is not ("http" or "https"))
            {
                problem = "a mirror is host[:port][/namespace], or an http:// or https:// URL";
                return false;
            }

            scheme = prefix == "http" ? RegistryScheme.Http : RegistryScheme.Https;
            rest = rest.Substring(separator + 3);
        }

        if (rest.Length == 0 || rest.IndexOfAny(['@', '?', '#', '\\', ' ']) >= 0)
        {
            problem = "a mirror may not hold user info, a query, a fragment, a backslash or a space";
            return false;
        }

        try
        {
            // The grammar of a reference: host[:port] as a registry, the namespace as repository components.
            var parsed = Reference.ParseRepository(rest + "/x");
            var slash = rest.IndexOf('/');
            var space = slash < 0 ? string.Empty : rest.Substring(slash + 1);
            if (!string.Equals(parsed.Registry, slash < 0 ? rest : rest.Substring(0, slash), StringComparison.OrdinalIgnoreCase))
            {
                problem = "a mirror must start with a registry host";
                return false;
            }

            endpoint = new MirrorEndpoint(parsed.Registry, space, scheme);
            return true;
        }
        catch (InvalidReferenceException)
        {
            problem = "it is not host[:port][/namespace] as a reference would write it";
            return false;
        }
    }

    /// <summary>The entry as it would be written, never with credentials (it cannot hold any).</summary>
    public override string ToString() =>
        (Scheme switch { RegistryScheme.Http => "http://", RegistryScheme.Https => "https://", _ => string.Empty }) + Registry + (Namespace.Length > 0 ? "/" + Namespace : string.Empty);
}
