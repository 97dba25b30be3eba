namespace OciRegistry.Core.LocalFiles;

/// <summary>
/// A file was not opened because it is a symbolic link or reparse point that nobody asked to follow, or because it
/// has other hard links: writing to it would change a file somewhere else, perhaps outside the destination.
/// </summary>
public sealed class FileLinkRefusedException : OciException
{
    /// <summary>Creates the exception; <paramref name="hardLinks"/> is the link count when that was the reason, else 0.</summary>
    public FileLinkRefusedException(string path, long hardLinks = 0)
        : base(hardLinks > 1
            ? $"'{path}' has {hardLinks} hard links, so other paths share its content; it was not opened. Remove it if it is not yours."
            : $"'{path}' is a symbolic link or reparse point; files are not read or written through links. Remove it if it is not yours.")
    {
        Path = path;
        HardLinks = hardLinks;
    }

    /// <summary>The path that was refused.</summary>
    public string Path { get; }

    /// <summary>The hard-link count when a shared file was the reason; 0 for a symbolic link.</summary>
    public long HardLinks { get; }
}
