namespace OciRegistry.Core.Client;

/// <summary>
/// The referrers of a manifest cannot be listed: the registry has no referrers API, and what its referrers tag
/// (<c>sha256-&lt;hex&gt;</c>) names is not an index of referrers.
/// </summary>
public sealed class ReferrersUnavailableException : OciException
{
    /// <summary>Creates the exception; <paramref name="subject"/> is the manifest whose referrers were wanted.</summary>
    public ReferrersUnavailableException(string subject, string problem)
        : base($"the referrers of {subject} cannot be listed: {problem}")
    {
        Subject = subject;
    }

    /// <summary>The manifest whose referrers were wanted, <c>registry/repository@digest</c>.</summary>
    public string Subject { get; }
}
