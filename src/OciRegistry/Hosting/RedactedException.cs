using System;

namespace OciRegistry.Hosting;

/// <summary>
/// Stands in an error record for an exception whose own message held a secret: .NET writes the proxy address of
/// HTTPS_PROXY, with its user:password, into its messages. The message here is redacted; the original is kept as
/// the inner exception, for a debugger, not for logs (<c>$_.Exception.Message</c> is what scripts print).
/// </summary>
public sealed class RedactedException : Exception
{
    /// <summary>Wraps <paramref name="original"/> under a redacted <paramref name="message"/>.</summary>
    public RedactedException(string message, Exception original)
        : base(message, original)
    {
    }
}
