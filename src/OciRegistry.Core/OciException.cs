using System;

namespace OciRegistry.Core;

/// <summary>
/// The root of every failure the core reports on purpose. Messages never contain secrets:
/// URLs are redacted before a message is built.
/// </summary>
public class OciException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public OciException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the failure that caused it.</summary>
    public OciException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
