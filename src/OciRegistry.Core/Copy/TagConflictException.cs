using OciRegistry.Core.References;

namespace OciRegistry.Core.Copy;

/// <summary>A destination tag that already names another manifest; nothing was overwritten.</summary>
public sealed class TagConflictException : OciException
{
    /// <summary>Creates the exception.</summary>
    public TagConflictException(Reference destination, Digest existing, Digest copied)
        : base($"{destination} already names {existing}, not {copied}; it was left as it is")
    {
        Destination = destination;
        Existing = existing;
        Copied = copied;
    }

    /// <summary>The destination tag.</summary>
    public Reference Destination { get; }

    /// <summary>What it names now.</summary>
    public Digest Existing { get; }

    /// <summary>What the copy would have made it name.</summary>
    public Digest Copied { get; }
}
