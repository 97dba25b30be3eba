using OciRegistry.Core.References;

namespace OciRegistry.Core.Transfer;

/// <summary>A file with other content is already where a blob would be saved.</summary>
public sealed class TargetExistsException : OciException
{
    /// <summary>Creates the exception.</summary>
    public TargetExistsException(string path, Digest digest)
        : base($"'{path}' already exists and is not the blob {digest}; it was left as it is")
    {
        Path = path;
        Digest = digest;
    }

    /// <summary>The existing file.</summary>
    public string Path { get; }

    /// <summary>The blob that was to be saved there.</summary>
    public Digest Digest { get; }
}
