using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace OciRegistry.Core.LocalFiles;

/// <summary>The Unix side of <see cref="FileSystemEntry"/>.</summary>
/// <remarks>
/// https://man7.org/linux/man-pages/man2/symlink.2.html, .../linkat.2.html ("By default, linkat() does not
/// dereference oldpath if it is a symbolic link (like link())"; macOS the same without AT_SYMLINK_FOLLOW),
/// .../utimensat.2.html, .../fchmod.2.html, .../readlink.2.html; Darwin's sys/fcntl.h for <c>AT_FDCWD</c>,
/// <c>AT_SYMLINK_NOFOLLOW</c> and <c>O_DIRECTORY</c>. Every call is retried on <c>EINTR</c>.
/// </remarks>
public static partial class FileSystemEntry
{
    private const int ReadOnlyAccess = 0;
    private const int PathOnlyLinux = 0x200000;
    private const int ErrorNotPermitted = 1;
    private const int ErrorNoEntry = 2;
    private const int ErrorInterrupted = 4;
    private const int ErrorAccessDenied = 13;
    private const int ErrorExists = 17;
    private const int ErrorNotDirectory = 20;
    private const int ErrorInvalid = 22;
    private const int ErrorReadOnlyFileSystem = 30;

    private static int AtCurrentDirectory => UnixFile.IsMac ? -2 : -100;

    private static int AtSymlinkNoFollow => UnixFile.IsMac ? 0x20 : 0x100;

    private static int OpenDirectory => UnixFile.IsMac ? 0x100000 : RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 ? 0x4000 : 0x10000;

    private static void CreateSymbolicLinkUnix(string path, string target)
    {
        var text = NullTerminated(target);
        var name = NullTerminated(path);
        Check(Retry(() => SymLink(text, name)), "create the symbolic link", path, creating: true);
    }

    private static void CreateHardLinkUnix(string path, string existingPath)
    {
        var existing = NullTerminated(existingPath);
        var name = NullTerminated(path);
        var result = Retry(() => LinkAt(AtCurrentDirectory, existing, AtCurrentDirectory, name, 0));
        if (result < 0)
        {
            var error = Marshal.GetLastWin32Error();
            throw error == ErrorNoEntry && RegularFile.GetStatus(existingPath).Kind == FileKind.Missing
                ? new FileNotFoundException($"could not link '{path}' to '{existingPath}', which does not exist", existingPath)
                : Failure($"link '{path}' to '{existingPath}'", path, error, creating: true);
        }
    }

    private static void CreateDirectoryUnix(string path)
    {
        var name = NullTerminated(path);
        Check(Retry(() => MakeDirectory(name, 0x1C0)), "create the directory", path, creating: true);
    }

    private static void SetModeUnix(string path, int mode, FileStatus expected)
    {
        var directory = expected.Kind == FileKind.Directory;
        var name = NullTerminated(path);
        var flags = ReadOnlyAccess | UnixFile.NoFollow | UnixFile.NonBlocking | UnixFile.CloseOnExec | (directory ? OpenDirectory : 0);
        var descriptor = Retry(() => OpenNative(name, flags, 0));
        if (descriptor < 0)
        {
            var error = Marshal.GetLastWin32Error();
            if (error == UnixFile.LoopError)
            {
                // A link swapped in since the status was read.
                throw new FileLinkRefusedException(path);
            }

            if (error != ErrorAccessDenied)
            {
                throw Failure("open", path, error);
            }

            // Mode 0o000 or write-only (a layer may ship either): the owner may still change it without reading it.
            SetModeWithoutReading(path, name, mode, expected, error);
            return;
        }

        using var handle = new SafeFileHandle(new IntPtr(descriptor), ownsHandle: true);
        CheckSameEntry(path, handle, expected);
        Check(Retry(() => FChmod(descriptor, mode)), "set the mode of", path);
    }

    private static void SetModeWithoutReading(string path, byte[] name, int mode, FileStatus expected, int openError)
    {
        if (UnixFile.IsMac)
        {
            // macOS changes a link itself under AT_SYMLINK_NOFOLLOW, so a link swapped in meanwhile keeps its target safe.
            Check(Retry(() => FChmodAt(AtCurrentDirectory, name, mode, AtSymlinkNoFollow)), "set the mode of", path);
            return;
        }

        // Linux: an O_PATH descriptor needs no permission, and chmod through /proc/self/fd reaches the file it names
        // (what glibc's fchmodat(AT_SYMLINK_NOFOLLOW) does). Without /proc the first refusal stands.
        var descriptor = Retry(() => OpenNative(name, PathOnlyLinux | UnixFile.NoFollow | UnixFile.CloseOnExec, 0));
        if (descriptor < 0)
        {
            throw Failure("open", path, Marshal.GetLastWin32Error());
        }

        using var handle = new SafeFileHandle(new IntPtr(descriptor), ownsHandle: true);
        CheckSameEntry(path, handle, expected);
        var procPath = NullTerminated($"/proc/self/fd/{descriptor}");
        var result = Retry(() => Chmod(procPath, mode));
        if (result < 0)
        {
            var error = Marshal.GetLastWin32Error();
            throw Failure("set the mode of", path, error is ErrorNoEntry or ErrorNotDirectory ? openError : error);
        }
    }

    private static void CheckSameEntry(string path, SafeFileHandle handle, FileStatus expected)
    {
        var opened = UnixFile.Status(handle);
        if (opened.Kind == FileKind.SymbolicLink)
        {
            throw new FileLinkRefusedException(path);
        }

        if (opened.Identity != expected.Identity)
        {
            throw new IOException($"'{path}' was replaced while its mode was being set; nothing was changed");
        }
    }

    private static void SetModifiedTimeUnix(string path, DateTimeOffset time)
    {
        // Ticks are 100 ns since 0001-01-01 UTC; timespec wants whole seconds since 1970 and 0 ≤ nanoseconds < 10⁹.
        var ticks = time.UtcTicks - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var remainder = ticks % TimeSpan.TicksPerSecond;
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }

        var nanoseconds = remainder * 100;
        var name = NullTerminated(path);
        int result;
        if (IntPtr.Size == 8)
        {
            // struct timespec { time_t tv_sec; long tv_nsec; }: two 64-bit fields; [0] is access, [1] modification.
            var times = new[] { seconds, nanoseconds, seconds, nanoseconds };
            result = Retry(() => UTimeNsAt64(AtCurrentDirectory, name, times, AtSymlinkNoFollow));
        }
        else
        {
            if (seconds is < int.MinValue or > int.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(time), time, "a 32-bit system stores times from 1901 to 2038 only");
            }

            var times = new[] { (int)seconds, (int)nanoseconds, (int)seconds, (int)nanoseconds };
            result = Retry(() => UTimeNsAt32(AtCurrentDirectory, name, times, AtSymlinkNoFollow));
        }

        Check(result, "set the time of", path);
    }

    private static void RemoveEntryUnix(string path, bool directory)
    {
        var name = NullTerminated(path);
        var result = Retry(() => directory ? RemoveDirectoryNative(name) : Unlink(name));
        if (result < 0 && Marshal.GetLastWin32Error() != ErrorNoEntry)
        {
            throw Failure("delete", path, Marshal.GetLastWin32Error());
        }
    }

    private static string? ReadSymbolicLinkUnix(string path)
    {
        var name = NullTerminated(path);
        for (var size = 256; ; size *= 4)
        {
            var buffer = new byte[size];
            long length;
            do
            {
                length = ReadLink(name, buffer, new IntPtr(size)).ToInt64();
            }
            while (length < 0 && Marshal.GetLastWin32Error() == ErrorInterrupted);

            if (length < 0)
            {
                var error = Marshal.GetLastWin32Error();
                return error is ErrorInvalid or ErrorNoEntry or ErrorNotDirectory ? null : throw Failure("read the link", path, error);
            }

            // A full buffer may be a cut-off target: readlink(2) truncates silently.
            if (length < size)
            {
                return Encoding.UTF8.GetString(buffer, 0, (int)length);
            }
        }
    }

    private static int Retry(Func<int> call)
    {
        int result;
        do
        {
            result = call();
        }
        while (result < 0 && Marshal.GetLastWin32Error() == ErrorInterrupted);

        return result;
    }

    private static void Check(int result, string action, string path, bool creating = false)
    {
        if (result < 0)
        {
            throw Failure(action, path, Marshal.GetLastWin32Error(), creating);
        }
    }

    private static Exception Failure(string action, string path, int error, bool creating = false)
    {
        var reason = new Win32Exception(error).Message;
        return error switch
        {
            ErrorExists => new IOException($"could not {action} '{path}': something is already there ({reason})"),
            ErrorNoEntry when creating => new DirectoryNotFoundException($"could not {action} '{path}': a folder on the way is missing ({reason})"),
            ErrorNoEntry => new FileNotFoundException($"could not {action} '{path}': {reason}", path),
            ErrorAccessDenied or ErrorNotPermitted or ErrorReadOnlyFileSystem => new UnauthorizedAccessException($"could not {action} '{path}': {reason}"),
            _ => new IOException($"could not {action} '{path}': {reason}"),
        };
    }

    private static byte[] NullTerminated(string text) => Encoding.UTF8.GetBytes(text + "\0");

    [DllImport("libc", EntryPoint = "symlink", SetLastError = true)]
    private static extern int SymLink(byte[] target, byte[] path);

    [DllImport("libc", EntryPoint = "linkat", SetLastError = true)]
    private static extern int LinkAt(int existingDirectory, byte[] existing, int directory, byte[] path, int flags);

    [DllImport("libc", EntryPoint = "mkdir", SetLastError = true)]
    private static extern int MakeDirectory(byte[] path, int mode);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenNative(byte[] path, int flags, int mode);

    [DllImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    private static extern int FChmod(int descriptor, int mode);

    [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
    private static extern int Chmod(byte[] path, int mode);

    [DllImport("libc", EntryPoint = "fchmodat", SetLastError = true)]
    private static extern int FChmodAt(int directory, byte[] path, int mode, int flags);

    [DllImport("libc", EntryPoint = "utimensat", SetLastError = true)]
    private static extern int UTimeNsAt64(int directory, byte[] path, long[] times, int flags);

    [DllImport("libc", EntryPoint = "utimensat", SetLastError = true)]
    private static extern int UTimeNsAt32(int directory, byte[] path, int[] times, int flags);

    [DllImport("libc", EntryPoint = "unlink", SetLastError = true)]
    private static extern int Unlink(byte[] path);

    [DllImport("libc", EntryPoint = "rmdir", SetLastError = true)]
    private static extern int RemoveDirectoryNative(byte[] path);

    [DllImport("libc", EntryPoint = "readlink", SetLastError = true)]
    private static extern IntPtr ReadLink(byte[] path, byte[] buffer, IntPtr size);
}
