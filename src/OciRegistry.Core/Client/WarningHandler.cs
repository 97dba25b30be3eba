using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>
/// Passes the code-299 <c>Warning</c> headers of every response (the registry's, its token service's, a redirect
/// target's) to the host's warning callback, prefixed with the host that sent them. Deduplication is the host's:
/// the same warning on every request of a pipeline is still one warning to show.
/// </summary>
/// <remarks>https://github.com/opencontainers/distribution-spec/blob/main/spec.md#warnings.</remarks>
internal sealed class WarningHandler(Action<string> warning) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues("Warning", out var values))
        {
            var host = request.RequestUri?.Authority ?? "the registry";
            foreach (var text in WarningHeaderParser.Parse(values))
            {
                warning($"{host}: {text}");
            }
        }

        return response;
    }
}
