using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tls;

/// <summary>
/// Sends requests to the registry's own host and port through the handler that offers the client certificate,
/// and every other origin (a storage or CDN host a redirect names, a token realm) through one that offers none: a
/// registry must not be able to spend the user's mutual-TLS identity at a host of its choosing. The scheme is not
/// compared, so the loopback upgrade to HTTPS keeps the certificate.
/// </summary>
internal sealed class OriginSplitHandler(Uri registry, HttpMessageHandler registryHandler, HttpMessageHandler otherHandler) : HttpMessageHandler
{
    private readonly HttpMessageInvoker _registry = new(registryHandler, disposeHandler: true);
    private readonly HttpMessageInvoker _other = new(otherHandler, disposeHandler: true);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        IsRegistry(request.RequestUri) ? _registry.SendAsync(request, cancellationToken) : _other.SendAsync(request, cancellationToken);

    /// <summary>Whether <paramref name="url"/> is the registry's host and port.</summary>
    internal bool IsRegistry(Uri? url) =>
        url is not null && string.Equals(url.IdnHost, registry.IdnHost, StringComparison.OrdinalIgnoreCase) && url.Port == registry.Port;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _registry.Dispose();
            _other.Dispose();
        }

        base.Dispose(disposing);
    }
}
