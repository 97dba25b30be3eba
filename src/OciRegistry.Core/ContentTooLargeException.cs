namespace OciRegistry.Core;

/// <summary>A body that would exceed the cap for what is read into memory.</summary>
public sealed class ContentTooLargeException : OciException
{
    /// <summary>Creates the exception; <paramref name="size"/> is null when the size was not announced.</summary>
    public ContentTooLargeException(ContentKind kind, string what, long limit, long? size)
        : base(size is null
            ? $"the {what} is larger than the limit of {limit} bytes"
            : $"the {what} is {size} bytes, more than the limit of {limit} bytes")
    {
        Kind = kind;
        What = what;
        Limit = limit;
        Size = size;
    }

    /// <summary>What kind of content was being read.</summary>
    public ContentKind Kind { get; }

    /// <summary>What was being read, for the message: "manifest", "tag list of ghcr.io/org/tool", …</summary>
    public string What { get; }

    /// <summary>The cap in bytes.</summary>
    public long Limit { get; }

    /// <summary>The announced size, if the server sent one.</summary>
    public long? Size { get; }
}
