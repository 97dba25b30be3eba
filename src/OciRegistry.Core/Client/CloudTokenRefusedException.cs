using System;

namespace OciRegistry.Core.Client;

/// <summary>A registry refused a cloud access token offered for exchange (expired, for another resource or tenant).</summary>
public sealed class CloudTokenRefusedException : OciException
{
    /// <summary>Creates the exception; <paramref name="reason"/> is the registry's own words, already an excerpt.</summary>
    public CloudTokenRefusedException(string registry, string reason, Exception? innerException)
        : base($"{registry} refused the access token: {reason}", innerException)
    {
        Registry = registry;
    }

    /// <summary>The registry.</summary>
    public string Registry { get; }
}
