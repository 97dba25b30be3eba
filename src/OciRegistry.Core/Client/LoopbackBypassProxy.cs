using System;
using System.Net;

namespace OciRegistry.Core.Client;

/// <summary>
/// The system's proxy (on .NET, <c>HTTP_PROXY</c>, <c>HTTPS_PROXY</c>, <c>ALL_PROXY</c> and <c>NO_PROXY</c>; on
/// .NET Framework, the Windows settings), except that this machine's own addresses never go through it. .NET sends
/// even <c>http://127.0.0.1</c> to <c>HTTP_PROXY</c> unless <c>NO_PROXY</c> lists it, so a CI agent with a corporate
/// proxy cannot reach a test registry on loopback; curl and Go's net/http bypass loopback the same way.
/// </summary>
internal sealed class LoopbackBypassProxy(IWebProxy inner) : IWebProxy
{
    /// <summary>The proxy <paramref name="options"/> ask for: none, the one named, or the system's wrapped.</summary>
    public static IWebProxy? For(ClientOptions options)
    {
        if (options.NoProxy)
        {
            return null;
        }

        if (options.Proxy is { } address)
        {
            // user:password in the address is taken as the credentials and kept out of every printed URL.
            var credentials = (ICredentials?)options.ProxyCredential;
            if (credentials is null && address.UserInfo.Length > 0)
            {
                var parts = address.UserInfo.Split([':'], 2);
                credentials = new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
            }

            return new FixedProxy(new UriBuilder(address) { UserName = string.Empty, Password = string.Empty }.Uri, credentials);
        }

        var system = System();
        if (system is not null && options.ProxyCredential is not null)
        {
            system.Credentials = options.ProxyCredential;
        }

        return system;
    }

    /// <summary>The proxy a request to <paramref name="destination"/> goes through with <paramref name="proxy"/>, or null.</summary>
    public static Uri? Through(IWebProxy? proxy, Uri destination)
    {
        if (proxy is null || proxy.IsBypassed(destination))
        {
            return null;
        }

        var through = proxy.GetProxy(destination);
        return through is null || through == destination ? null : through;
    }

    /// <summary>The system proxy wrapped, or null when the system has none.</summary>
    public static LoopbackBypassProxy? System()
    {
        IWebProxy? proxy;
        try
        {
            proxy = WebRequest.DefaultWebProxy;
        }
        catch (Exception e) when (e is InvalidOperationException or PlatformNotSupportedException or UriFormatException)
        {
            // An unusable proxy setting: connect directly, as the handler itself would.
            proxy = null;
        }

        return proxy is null ? null : new LoopbackBypassProxy(proxy);
    }

    public ICredentials? Credentials
    {
        get => inner.Credentials;
        set => inner.Credentials = value;
    }

    public Uri? GetProxy(Uri destination) => IsBypassed(destination) ? destination : inner.GetProxy(destination);

    public bool IsBypassed(Uri host) => host.IsLoopback || inner.IsBypassed(host);
}
