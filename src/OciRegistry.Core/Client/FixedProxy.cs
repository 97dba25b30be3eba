using System;
using System.Net;

namespace OciRegistry.Core.Client;

/// <summary>
/// The proxy the user named (<c>-Proxy</c>): every request goes through it, this machine's addresses included,
/// since naming a proxy is asking for it. <see cref="WebProxy"/> would skip loopback on its own.
/// </summary>
internal sealed class FixedProxy(Uri address, ICredentials? credentials) : IWebProxy
{
    public ICredentials? Credentials { get; set; } = credentials;

    public Uri Address { get; } = address;

    public Uri? GetProxy(Uri destination) => Address;

    public bool IsBypassed(Uri host) => false;
}
