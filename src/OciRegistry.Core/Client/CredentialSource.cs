using System;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>
/// The credential a client uses, looked up once and only when a registry first asks for one (a 401): a public
/// registry then never runs a credential helper. A lookup cancelled part way is not remembered, so the next request
/// tries again.
/// </summary>
internal sealed class CredentialSource : IDisposable
{
    private readonly StoredCredentials? _lookup;
    private readonly Action<string>? _warning;
    private readonly Action<HttpTraceEvent>? _trace;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RegistryCredential? _credential;
    private volatile bool _known;

    private CredentialSource(RegistryCredential? credential, StoredCredentials? lookup, Action<string>? warning, Action<HttpTraceEvent>? trace)
    {
        _credential = credential;
        _known = lookup is null;
        _lookup = lookup;
        _warning = warning;
        _trace = trace;
    }

    /// <summary>The credential, once known (null before the first lookup and for anonymous access).</summary>
    public RegistryCredential? Known => _known ? _credential : null;

    /// <summary>Always <paramref name="credential"/> (null: anonymous).</summary>
    public static CredentialSource Fixed(RegistryCredential? credential) => new(credential, null, null, null);

    /// <summary>Whatever <paramref name="lookup"/> finds; its warnings go to <paramref name="warning"/>.</summary>
    public static CredentialSource Stored(StoredCredentials lookup, Action<string>? warning, Action<HttpTraceEvent>? trace) => new(null, lookup, warning, trace);

    /// <summary>The credential, looking it up on the first call.</summary>
    public async Task<RegistryCredential?> GetAsync(CancellationToken cancellationToken)
    {
        if (_known)
        {
            return _credential;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_known)
            {
                var result = await _lookup!.FindAsync(cancellationToken).ConfigureAwait(false);
                foreach (var warning in result.Warnings)
                {
                    _warning?.Invoke(warning);
                }

                _trace?.Invoke(new HttpTraceEvent(HttpTraceKind.Credentials, string.Empty, _lookup.Registry,
                    result.Credential is null ? "(no stored credentials; anonymous)" : $"(as {result.Credential.Username}, from {result.Source})"));
                _credential = result.Credential;
                _known = true;
            }

            return _credential;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();
}
