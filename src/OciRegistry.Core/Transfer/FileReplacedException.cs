using OciRegistry.Core.References;

namespace OciRegistry.Core.Transfer;

/// <summary>
/// A download's working file or target was replaced by another file while the download ran (another download
/// using the same names, or someone else writing into the destination): what is at the path is not what was
/// verified, so it is not reported as the blob.
/// </summary>
public sealed class FileReplacedException : OciException
{
    /// <summary>Creates the exception for <paramref name="path"/>, where <paramref name="digest"/> was being saved.</summary>
    public FileReplacedException(string path, Digest digest)
        : base($"'{path}' was replaced by another file while {digest} was being saved; what is there is not the verified blob. Is another download writing to the same place?")
    {
        Path = path;
        Digest = digest;
    }

    /// <summary>The path whose file changed.</summary>
    public string Path { get; }

    /// <summary>The blob being saved.</summary>
    public Digest Digest { get; }
}
