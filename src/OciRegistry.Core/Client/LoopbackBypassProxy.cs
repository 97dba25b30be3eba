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

    /// <summary>The proxy a request to <paramref name="destination"/> goes through, or null when it goes directly.</summary>
    public Uri? ProxyFor(Uri destination)
    {
        if (IsBypassed(destination))
        {
            return null;
        }

        var proxy = inner.GetProxy(destination);
        return proxy is null || proxy == destination ? null : proxy;
    }
}
