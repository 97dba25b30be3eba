namespace OciRegistry.Core.LocalFiles;

/// <summary>
/// A path that should hold a regular file holds something else (a FIFO, a device such as <c>/dev/zero</c>, a
/// directory, a socket), which is not read or written: it could block forever or never end.
/// </summary>
public sealed class FileNotRegularException : OciException
{
    /// <summary>Creates the exception; <paramref name="what"/> names what is there ("a FIFO", "a character device").</summary>
    public FileNotRegularException(string path, string what)
        : base($"'{path}' is {what}, not a regular file; it was not opened")
    {
        Path = path;
        What = what;
    }

    /// <summary>The path that was refused.</summary>
    public string Path { get; }

    /// <summary>What is at the path, in words.</summary>
    public string What { get; }
}
