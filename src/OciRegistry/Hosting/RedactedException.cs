using System;
using OciRegistry.Core;
using OciRegistry.Core.Client;

namespace OciRegistry.Hosting;

/// <summary>
/// Stands in an error record for an exception whose own words held a secret: .NET writes the proxy address of
/// HTTPS_PROXY, with its user:password, into its messages, and Get-Error, <c>$_.Exception.ToString()</c> and
/// <c>$_.Exception.InnerException</c> reach every exception in the chain. So the stand-in is a whole chain: each link
/// has the redacted message, the original's type name and its stack trace; the original exceptions are not kept.
/// </summary>
public sealed class RedactedException : Exception
{
    private readonly string? _stackTrace;

    private RedactedException(string message, Exception? inner, string originalType, string? stackTrace)
        : base(message, inner)
    {
        OriginalType = originalType;
        _stackTrace = stackTrace;
    }

    /// <summary>The full name of the exception this one stands in for, e.g. System.Net.Http.HttpRequestException.</summary>
    public string OriginalType { get; }

    /// <summary>The stack trace of the exception this one stands in for.</summary>
    public override string? StackTrace => _stackTrace;

    /// <summary>
    /// A redacted stand-in for <paramref name="exception"/> and its inner exceptions, or null when no message in the
    /// chain holds anything to redact (the exception is then shown as it is).
    /// </summary>
    public static Exception? For(Exception exception)
    {
        if (exception is null)
        {
            throw new ArgumentNullException(nameof(exception));
        }

        // The module's own messages are built redacted; the words of .NET exceptions under them are not.
        var needed = false;
        for (var e = exception is OciException ? exception.InnerException : exception; e is not null && !needed; e = e.InnerException)
        {
            needed = TextRedactor.Redact(e.Message) != e.Message;
        }

        return needed ? Copy(exception) : null;
    }

    private static RedactedException Copy(Exception exception)
    {
        // An aggregate's ToString() lists every inner exception, not only the first: keep one, redacted, and say how
        // many there were.
        var inner = exception.InnerException is { } first ? Copy(first) : null;
        var message = TextRedactor.Redact(exception.Message)!;
        if (exception is AggregateException { InnerExceptions.Count: > 1 } aggregate)
        {
            message += $" (the first of {aggregate.InnerExceptions.Count} inner exceptions is kept)";
        }

        return new RedactedException(message, inner, exception.GetType().FullName ?? exception.GetType().Name, exception.StackTrace);
    }

    /// <inheritdoc />
    public override string ToString() => $"{OriginalType} (redacted): {base.ToString()}";
}
