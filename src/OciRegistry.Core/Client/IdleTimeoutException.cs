using System;
using System.IO;

namespace OciRegistry.Core.Client;

/// <summary>A connection that sent nothing for the idle time: a network failure, retried like a reset.</summary>
public sealed class IdleTimeoutException : IOException
{
    /// <summary>Creates the exception.</summary>
    public IdleTimeoutException(string what, TimeSpan idle)
        : base($"no {what} arrived for {idle.TotalSeconds:0.#} s; the connection is treated as dropped")
    {
        Idle = idle;
    }

    /// <summary>The idle time that ran out.</summary>
    public TimeSpan Idle { get; }

    /// <summary>Whether no response headers came (the response timeout), as opposed to a body gone silent.</summary>
    public bool WaitedForResponse { get; init; }
}
