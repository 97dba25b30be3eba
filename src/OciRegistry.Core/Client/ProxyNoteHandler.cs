using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>
/// Marks a failure that happened while talking through a proxy, so that the message can say so: "connection
/// refused" from a dead proxy otherwise reads as the registry's fault. The mark (see <see cref="ProxyFailure"/>) is
/// the proxy's address without user info; the exception itself is unchanged, so retry decisions stay the same.
/// </summary>
internal sealed class ProxyNoteHandler(System.Net.IWebProxy proxy) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && request.RequestUri is { } url && LoopbackBypassProxy.Through(proxy, url) is { } through)
        {
            ProxyFailure.Mark(e, UrlRedactor.Redact(new UriBuilder(through) { UserName = string.Empty, Password = string.Empty }.Uri));
            throw;
        }
    }
}
