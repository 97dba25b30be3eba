namespace OciRegistry.Core.References;

/// <summary>Content whose digest or size is not what was expected (it lives beside <see cref="Digest"/>, which it carries). Nothing that failed this check is kept.</summary>
public sealed class ContentVerificationException : OciException
{
    /// <summary>Creates the exception for a digest mismatch.</summary>
    public ContentVerificationException(ContentKind kind, string what, Digest expected, Digest actual)
        : base($"{what} failed verification: expected digest {expected}, got {actual}; the content was discarded")
    {
        Kind = kind;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>Creates the exception for a size mismatch or other content problem.</summary>
    public ContentVerificationException(ContentKind kind, string message, Digest expected)
        : base(message)
    {
        Kind = kind;
        Expected = expected;
    }

    /// <summary>Whether a manifest or a blob failed.</summary>
    public ContentKind Kind { get; }

    /// <summary>The digest that was expected.</summary>
    public Digest Expected { get; }

    /// <summary>The digest of what arrived, when it was computed.</summary>
    public Digest? Actual { get; }
}
