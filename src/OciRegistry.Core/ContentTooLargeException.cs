namespace OciRegistry.Core;

/// <summary>A body that would exceed the cap for what is read into memory.</summary>
public sealed class ContentTooLargeException : OciException
{
    /// <summary>Creates the exception; <paramref name="size"/> is null when the size was not announced.</summary>
    public ContentTooLargeException(string what, long limit, long? size)
        : base(size is null
            ? $"the {what} is larger than the limit of {limit} bytes"
            : $"the {what} is {size} bytes, more than the limit of {limit} bytes")
    {
        What = what;
        Limit = limit;
        Size = size;
    }

    /// <summary>What was being read: "manifest", "token response", …</summary>
    public string What { get; }

    /// <summary>The cap in bytes.</summary>
    public long Limit { get; }

    /// <summary>The announced size, if the server sent one.</summary>
    public long? Size { get; }
}
