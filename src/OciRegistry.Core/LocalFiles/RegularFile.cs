using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OciRegistry.Core.LocalFiles;

/// <summary>
/// Opens local files only when they are what they should be: a regular file at the path itself, not something a
/// link there points to, and never a FIFO or device that blocks or never ends. Every check is made on the open
/// handle (fstat, GetFileInformationByHandle), so nothing can be swapped in between the check and the use.
/// </summary>
/// <remarks>
/// Partial files, targets, sidecars, layouts and config files all come through here: a download folder or a home
/// folder may hold links that someone else planted (issue: "Never write through a link", "Special files are not
/// read without end").
/// </remarks>
public static class RegularFile
{
    private const int ReadBufferSize = 4096;

    private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <summary>Describes <paramref name="path"/> itself, never what a link there points to; Missing when absent.</summary>
    public static FileStatus GetStatus(string path) => IsWindows ? WindowsFile.Status(path) : UnixFile.Status(path);

    /// <summary>Describes the file open in <paramref name="file"/>, whatever path now leads to it.</summary>
    public static FileStatus GetStatus(FileStream file)
    {
        if (file is null)
        {
            throw new ArgumentNullException(nameof(file));
        }

        return IsWindows ? WindowsFile.Status(file.SafeFileHandle) : UnixFile.Status(file.SafeFileHandle);
    }

    /// <summary>
    /// Opens an existing file for reading. A symbolic link or reparse point at the final component is refused
    /// (<see cref="FileLinkRefusedException"/>) unless <paramref name="followFinalLink"/>, and then what it points
    /// to must still be a regular file; anything that is not a regular file once open is refused
    /// (<see cref="FileNotRegularException"/>) without a single read, so a FIFO or <c>/dev/zero</c> never blocks.
    /// </summary>
    public static FileStream OpenRead(string path, bool followFinalLink = false, bool allowHardLinks = true)
    {
        var handle = IsWindows
            ? WindowsFile.Open(path, write: false, followFinalLink, FileMode.Open)
            : UnixFile.Open(path, write: false, followFinalLink);
        return Checked(path, handle, write: false, allowHardLinks);
    }

    /// <summary>
    /// Opens or creates <paramref name="path"/> for reading and writing, exclusively (another writer gets an
    /// <see cref="IOException"/>), without following a link at the final component. A link, anything but a
    /// regular file, and unless <paramref name="allowHardLinks"/> a file with more than one hard link (a planted
    /// link to a file elsewhere) are refused before a byte is written or truncated.
    /// </summary>
    public static FileStream OpenWrite(string path, FileMode mode, bool allowHardLinks = false)
    {
        if (mode is < FileMode.CreateNew or > FileMode.Append)
        {
            throw new ArgumentOutOfRangeException(nameof(mode));
        }

        var handle = IsWindows ? WindowsFile.Open(path, write: true, followFinalLink: false, mode) : OpenWriteUnix(path, mode);
        var file = Checked(path, handle, write: true, allowHardLinks);
        try
        {
            // Only now, with the file known to be ours alone: truncating at open would have emptied a link's target.
            if (mode is FileMode.Create or FileMode.Truncate)
            {
                file.SetLength(0);
            }
            else if (mode == FileMode.Append)
            {
                file.Seek(0, SeekOrigin.End);
            }

            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads a small file whole through <see cref="OpenRead"/>, never more than <paramref name="cap"/> + 1 bytes:
    /// a file over the cap fails with <see cref="ContentTooLargeException"/> of <paramref name="kind"/>.
    /// </summary>
    public static byte[] ReadAllBytesCapped(string path, long cap, ContentKind kind, bool followFinalLink = false)
    {
        if (cap is < 0 or >= int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(cap));
        }

        using var file = OpenRead(path, followFinalLink);
        var length = file.Length;
        var what = $"file '{path}'";
        if (length > cap)
        {
            throw new ContentTooLargeException(kind, what, cap, length);
        }

        // The file may grow while it is read: the length above sizes the buffer, the cap bounds the loop.
        using var content = new MemoryStream((int)length);
        var chunk = new byte[(int)Math.Min(81920, cap + 1)];
        long total = 0;
        while (total <= cap)
        {
            var read = file.Read(chunk, 0, (int)Math.Min(chunk.Length, cap + 1 - total));
            if (read == 0)
            {
                break;
            }

            content.Write(chunk, 0, read);
            total += read;
        }

        if (total > cap)
        {
            throw new ContentTooLargeException(kind, what, cap, null);
        }

        return content.ToArray();
    }

    /// <summary>Words for a kind of file, for messages: "a FIFO", "a directory".</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.Missing => "missing",
        _ => "a special file",
    };

    private static SafeFileHandle OpenWriteUnix(string path, FileMode mode)
    {
        if (mode == FileMode.CreateNew)
        {
            CreateExclusive(path);
            return UnixFile.Open(path, write: true, followFinalLink: false);
        }

        try
        {
            return UnixFile.Open(path, write: true, followFinalLink: false);
        }
        catch (FileNotFoundException) when (mode is not (FileMode.Open or FileMode.Truncate))
        {
            // O_CREAT | O_EXCL never follows a link, even a dangling one; one someone plants in between fails the reopen.
            try
            {
                CreateExclusive(path);
            }
            catch (IOException) when (GetStatus(path).Kind != FileKind.Missing)
            {
                // Created by someone else in between: the reopen below checks whatever it is.
            }

            return UnixFile.Open(path, write: true, followFinalLink: false);
        }
    }

    private static void CreateExclusive(string path)
    {
        using var created = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite, 1);
    }

    /// <summary>How long a writer waits for another's lock on the same file before calling it in use.</summary>
    internal static readonly TimeSpan LockWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Takes the writer's exclusive lock, waiting up to <see cref="LockWait"/> for a holder to let go. A lock can
    /// outlive its holder's close for a moment: a process this one forks (any Process.Start, on any thread) holds a
    /// copy of every descriptor, and so the locks on them, until it executes its program, which closes them. A
    /// download cancelled and started again at once would otherwise meet its own, closed file "in use".
    /// </summary>
    private static void LockOrWait(string path, SafeFileHandle handle)
    {
        var deadline = DateTime.UtcNow + LockWait;
        while (!UnixFile.TryLockExclusive(handle))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new IOException($"'{path}' is in use by another process");
            }

            System.Threading.Thread.Sleep(20);
        }
    }

    private static FileStream Checked(string path, SafeFileHandle handle, bool write, bool allowHardLinks)
    {
        try
        {
            var status = IsWindows ? WindowsFile.Status(handle) : UnixFile.Status(handle);
            if (status.Kind == FileKind.SymbolicLink)
            {
                throw new FileLinkRefusedException(path);
            }

            if (status.Kind != FileKind.Regular)
            {
                throw new FileNotRegularException(path, Describe(status.Kind));
            }

            if (!allowHardLinks && status.LinkCount > 1)
            {
                throw new FileLinkRefusedException(path, status.LinkCount);
            }

            if (write && !IsWindows)
            {
                LockOrWait(path, handle);
            }

            return write
                ? new FileStream(handle, FileAccess.ReadWrite, bufferSize: 1, isAsync: false)
                : new FileStream(handle, FileAccess.Read, ReadBufferSize, isAsync: false);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
