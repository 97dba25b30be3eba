using System.IO;

namespace OciRegistry.Core.LocalFiles;

/// <summary>
/// Windows refused to create a symbolic link because the account lacks <c>SeCreateSymbolicLinkPrivilege</c>
/// (<c>ERROR_PRIVILEGE_NOT_HELD</c>): without Developer Mode only elevated sessions may create links.
/// </summary>
/// <remarks>https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-createsymboliclinkw (SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE).</remarks>
public sealed class SymbolicLinkNotPermittedException : IOException
{
    /// <summary>Creates the exception for the link that could not be created at <paramref name="path"/>.</summary>
    public SymbolicLinkNotPermittedException(string path)
        : base($"could not create the symbolic link '{path}': Windows allows symbolic links only with Developer Mode turned on "
            + "or to accounts holding the 'Create symbolic links' privilege (SeCreateSymbolicLinkPrivilege), such as an elevated administrator")
    {
        Path = path;
    }

    /// <summary>The link that was not created.</summary>
    public string Path { get; }
}
