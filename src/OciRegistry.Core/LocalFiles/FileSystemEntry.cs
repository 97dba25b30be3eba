using System;
using System.IO;
using System.Runtime.InteropServices;

namespace OciRegistry.Core.LocalFiles;

/// <summary>
/// File-system primitives for extracting image layers into a private staging folder: each acts on the entry at
/// the path itself and never follows a symbolic link (or Windows reparse point) at the final component, so a link
/// that a hostile layer planted cannot redirect a mode, a time or a delete to a file outside the folder.
/// </summary>
/// <remarks>
/// Folders further up the path are followed as the system does; checking that the path stays under the
/// destination after links already written is the extractor's job (STYLE.md §9, "zip slip"). Unix goes through
/// <c>symlink</c>, <c>linkat</c>, <c>fchmod</c> on an <c>O_NOFOLLOW</c> descriptor, <c>utimensat</c> with
/// <c>AT_SYMLINK_NOFOLLOW</c>, <c>mkdir</c>, <c>unlink</c>/<c>rmdir</c> and <c>readlink</c>; Windows through the
/// matching Win32 calls with <c>FILE_FLAG_OPEN_REPARSE_POINT</c>. Nothing here needs an API that
/// netstandard2.0 or .NET Framework 4.7.2 lacks.
/// </remarks>
public static partial class FileSystemEntry
{
    private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <summary>
    /// Creates a symbolic link at <paramref name="path"/> whose text is <paramref name="target"/>, which need not
    /// exist and is stored as given (relative targets resolve against the link's folder). Nothing may be at
    /// <paramref name="path"/>. On Windows <paramref name="targetIsDirectory"/> makes a directory link, and an
    /// account that may not create links gets <see cref="SymbolicLinkNotPermittedException"/>.
    /// </summary>
    /// <exception cref="IOException">Something is already at <paramref name="path"/>, or the system refused (the reason is in the message).</exception>
    public static void CreateSymbolicLink(string path, string target, bool targetIsDirectory = false)
    {
        CheckPath(path, nameof(path));
        if (string.IsNullOrEmpty(target))
        {
            throw new ArgumentException("a symbolic link needs a target", nameof(target));
        }

        if (IsWindows)
        {
            CreateSymbolicLinkWindows(path, target, targetIsDirectory);
        }
        else
        {
            CreateSymbolicLinkUnix(path, target);
        }
    }

    /// <summary>
    /// Gives the entry at <paramref name="existingPath"/> a second name, <paramref name="path"/>; when
    /// <paramref name="existingPath"/> is a symbolic link the new name is another name of the link, not of its
    /// target. Nothing may be at <paramref name="path"/>.
    /// </summary>
    /// <exception cref="IOException">Something is already at <paramref name="path"/>, the entry is missing or on another volume, or the system refused.</exception>
    public static void CreateHardLink(string path, string existingPath)
    {
        CheckPath(path, nameof(path));
        CheckPath(existingPath, nameof(existingPath));
        if (IsWindows)
        {
            CreateHardLinkWindows(path, existingPath);
        }
        else
        {
            CreateHardLinkUnix(path, existingPath);
        }
    }

    /// <summary>
    /// Sets the permission bits (<c>0o7777</c>: set-user-ID, set-group-ID, sticky and the nine access bits) of the
    /// regular file or directory at <paramref name="path"/>. A symbolic link there is refused with
    /// <see cref="FileLinkRefusedException"/> and its target left alone; other special files with
    /// <see cref="FileNotRegularException"/>. Windows has no such bits: there only the checks are made.
    /// </summary>
    public static void SetMode(string path, int mode)
    {
        CheckPath(path, nameof(path));
        if (mode is < 0 or > 0xFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "a mode has 12 permission bits (0 to 0o7777)");
        }

        var status = RegularFile.GetStatus(path);
        switch (status.Kind)
        {
            case FileKind.Missing:
                throw new FileNotFoundException($"could not find '{path}' to set its mode", path);
            case FileKind.SymbolicLink:
                throw new FileLinkRefusedException(path);
            case FileKind.Regular or FileKind.Directory:
                break;
            default:
                throw new FileNotRegularException(path, RegularFile.Describe(status.Kind));
        }

        if (!IsWindows)
        {
            SetModeUnix(path, mode, status);
        }
    }

    /// <summary>
    /// Sets the last-write and last-access times of the entry at <paramref name="path"/> itself: a symbolic link
    /// gets the time, its target does not. Unix keeps nanoseconds, Windows 100 ns; <see cref="DateTimeOffset"/>
    /// holds 100 ns ticks.
    /// </summary>
    public static void SetModifiedTime(string path, DateTimeOffset time)
    {
        CheckPath(path, nameof(path));
        if (IsWindows)
        {
            SetModifiedTimeWindows(path, time);
        }
        else
        {
            SetModifiedTimeUnix(path, time);
        }
    }

    /// <summary>
    /// Creates the directory <paramref name="path"/>, whose parent must exist. Anything already there, even a
    /// directory or a link to one, is an <see cref="IOException"/> (<c>mkdir(2)</c> semantics). On Unix the new
    /// directory is <c>0o700</c>, for <see cref="SetMode"/> to set the final mode once its content is written.
    /// </summary>
    public static void CreateDirectory(string path)
    {
        CheckPath(path, nameof(path));
        if (IsWindows)
        {
            CreateDirectoryWindows(path);
        }
        else
        {
            CreateDirectoryUnix(path);
        }
    }

    /// <summary>
    /// Deletes whatever is at <paramref name="path"/> without following links: a symbolic link (or Windows
    /// junction), even one to a directory, is removed as a link; a directory is emptied child by child, each
    /// examined as it is, then removed; anything else is unlinked. Nothing there is not an error. Unix makes a
    /// directory writable by its owner before emptying it and Windows clears read-only attributes, so an
    /// extracted tree with read-only modes can be removed.
    /// </summary>
    /// <remarks>
    /// Meant for a folder only this process writes to: a path-based walk is not safe against someone swapping a
    /// directory for a link while it runs (that would need <c>openat</c>/<c>unlinkat</c> relative to descriptors).
    /// </remarks>
    public static void Delete(string path)
    {
        CheckPath(path, nameof(path));
        var status = RegularFile.GetStatus(path);
        switch (status.Kind)
        {
            case FileKind.Missing:
                return;
            case FileKind.Directory:
                PrepareDirectoryForDelete(path);
                foreach (var child in Directory.GetFileSystemEntries(path))
                {
                    Delete(child);
                }

                RemoveEntry(path, FileKind.Directory);
                return;
            default:
                RemoveEntry(path, status.Kind);
                return;
        }
    }

    /// <summary>
    /// True when the file system holding <paramref name="directory"/> treats names that differ only in case as the
    /// same name (Windows and macOS by default), found by creating a probe file with lower-case letters in its name,
    /// looking for the upper-cased name, and deleting the probe. The directory must be writable.
    /// </summary>
    public static bool IsCaseInsensitive(string directory)
    {
        CheckPath(directory, nameof(directory));
        var name = ".ociregistry-case-probe-" + Guid.NewGuid().ToString("N");
        var probe = Path.Combine(directory, name);
        using (RegularFile.OpenWrite(probe, FileMode.CreateNew))
        {
        }

        try
        {
            var original = RegularFile.GetStatus(probe);
            var upper = RegularFile.GetStatus(Path.Combine(directory, name.ToUpperInvariant()));

            // The same file under the other name, not merely some file: the identity says which.
            return upper.Kind != FileKind.Missing && upper.Identity == original.Identity;
        }
        finally
        {
            Delete(probe);
        }
    }

    /// <summary>
    /// The text of the symbolic link at <paramref name="path"/> as it was stored (not resolved), or null when
    /// nothing or something other than a link is there. On Windows a junction gives its target folder, and a
    /// reparse point of any other kind (cloud files, deduplication) gives null.
    /// </summary>
    public static string? ReadSymbolicLink(string path)
    {
        CheckPath(path, nameof(path));
        return IsWindows ? ReadSymbolicLinkWindows(path) : ReadSymbolicLinkUnix(path);
    }

    private static void PrepareDirectoryForDelete(string path)
    {
        if (IsWindows)
        {
            ClearReadOnlyWindows(path);
            return;
        }

        try
        {
            // A layer may hold a directory without write or search permission, which no child could leave.
            SetModeUnix(path, 0x1C0, RegularFile.GetStatus(path));
        }
        catch (UnauthorizedAccessException)
        {
            // Not ours to change: maybe it needs no change; removing the children will tell.
        }
    }

    private static void RemoveEntry(string path, FileKind kind)
    {
        if (IsWindows)
        {
            RemoveEntryWindows(path);
        }
        else
        {
            RemoveEntryUnix(path, kind == FileKind.Directory);
        }
    }

    private static void CheckPath(string path, string parameter)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new ArgumentException("a path is needed", parameter);
        }

        if (path.IndexOf('\0') >= 0)
        {
            throw new ArgumentException("a path cannot contain a NUL character", parameter);
        }
    }
}
