using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace OciRegistry.Core.LocalFiles;

/// <summary>
/// The Unix side of <see cref="RegularFile"/>: <c>open(2)</c> with <c>O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC</c>, so a
/// link at the final component fails the open and a FIFO never blocks it, then a status of the open descriptor, so
/// what is checked is what was opened. Linux asks <c>statx(2)</c>, whose layout is the same on every architecture
/// (kernel 4.11, glibc 2.28; older glibc and musl are reached through <c>syscall(2)</c>); macOS asks
/// <c>fstat</c>/<c>lstat</c> with its 64-bit-inode <c>struct stat</c>.
/// </summary>
/// <remarks>
/// https://man7.org/linux/man-pages/man2/open.2.html (O_NOFOLLOW: "If the trailing component of pathname is a
/// symbolic link, then the open fails, with the error ELOOP"), https://man7.org/linux/man-pages/man2/statx.2.html,
/// Darwin's sys/stat.h and sys/fcntl.h for the macOS values. <c>open</c> is variadic: the mode argument is never
/// used here (no <c>O_CREAT</c>), so the fixed signature is safe on Apple arm64 too; files are created by the
/// caller with <c>O_CREAT | O_EXCL</c>, which never follows a link either.
/// </remarks>
internal static class UnixFile
{
    private const int ReadOnly = 0;
    private const int ReadWrite = 2;
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int NoEntry = 2;
    private const int Interrupted = 4;
    private const int NoDeviceOrAddress = 6;
    private const int AccessDenied = 13;
    private const int NotPermitted = 1;
    private const int Exists = 17;
    private const int NotDirectory = 20;
    private const int IsDirectory = 21;
    private const int TooManyLinks = 31;
    private const int NoSystemCall = 38;

    private static readonly bool IsMacOS = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
    private static readonly bool MacArm64 = IsMacOS && RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
    private static bool s_noStatxExport;

    /// <summary>True on macOS, whose flag and errno values differ from Linux's.</summary>
    internal static bool IsMac => IsMacOS;

    /// <summary><c>O_NOFOLLOW</c>.</summary>
    internal static int NoFollow => IsMac ? 0x100 : RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 ? 0x8000 : 0x20000;

    /// <summary><c>O_NONBLOCK</c>.</summary>
    internal static int NonBlocking => IsMac ? 0x4 : 0x800;

    /// <summary><c>O_CLOEXEC</c>.</summary>
    internal static int CloseOnExec => IsMac ? 0x1000000 : 0x80000;

    /// <summary><c>ELOOP</c>: what <c>O_NOFOLLOW</c> reports for a link at the final component.</summary>
    internal static int LoopError => IsMac ? 62 : 40;

    private static int WouldBlock => IsMac ? 35 : 11;

    /// <summary>Opens an existing file; a link at the final component fails unless <paramref name="followFinalLink"/>.</summary>
    public static SafeFileHandle Open(string path, bool write, bool followFinalLink)
    {
        var flags = (write ? ReadWrite : ReadOnly) | NonBlocking | CloseOnExec | (followFinalLink ? 0 : NoFollow);
        var name = NullTerminated(path);
        int descriptor;
        do
        {
            descriptor = OpenNative(name, flags, 0);
        }
        while (descriptor < 0 && Marshal.GetLastWin32Error() == Interrupted);

        if (descriptor < 0)
        {
            throw OpenFailure(path, Marshal.GetLastWin32Error());
        }

        return new SafeFileHandle(new IntPtr(descriptor), ownsHandle: true);
    }

    /// <summary>The status of the open file behind <paramref name="handle"/>.</summary>
    public static FileStatus Status(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var descriptor = handle.DangerousGetHandle().ToInt32();
            var buffer = new byte[256];
            int result;
            int error;
            do
            {
                result = IsMac ? FStatMac(descriptor, buffer) : StatX(descriptor, NullTerminated(string.Empty), AtEmptyPath, buffer);
                error = result < 0 ? Marshal.GetLastWin32Error() : 0;
            }
            while (result < 0 && error == Interrupted);

            if (result < 0)
            {
                throw new IOException($"could not read the status of an open file: {new Win32Exception(error).Message}");
            }

            return Decode(buffer);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>The status of <paramref name="path"/> itself (a link is described, not followed); Missing when absent.</summary>
    public static FileStatus Status(string path)
    {
        var name = NullTerminated(path);
        var buffer = new byte[256];
        int result;
        int error;
        do
        {
            result = IsMac ? LStatMac(name, buffer) : StatX(AtCurrentDirectory, name, AtSymlinkNoFollow, buffer);
            error = result < 0 ? Marshal.GetLastWin32Error() : 0;
        }
        while (result < 0 && error == Interrupted);

        if (result < 0)
        {
            if (error is NoEntry or NotDirectory)
            {
                return FileStatus.Missing;
            }

            throw Failure(path, error);
        }

        return Decode(buffer);
    }

    /// <summary>Takes an exclusive advisory lock, as .NET does for <see cref="FileShare.None"/>; false when another holds one.</summary>
    public static bool TryLockExclusive(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var descriptor = handle.DangerousGetHandle().ToInt32();
            int result;
            do
            {
                result = Flock(descriptor, LockExclusive | LockNonBlocking);
            }
            while (result < 0 && Marshal.GetLastWin32Error() == Interrupted);

            // Only "someone else holds it" means no; a file system without locks (some network mounts) is no reason to fail.
            return result == 0 || Marshal.GetLastWin32Error() != WouldBlock;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static Exception OpenFailure(string path, int error)
    {
        if (error == LoopError || error == TooManyLinks)
        {
            // ELOOP (EMLINK on some BSDs) with O_NOFOLLOW: the final component is a link. Otherwise a loop further up.
            return Status(path).Kind == FileKind.SymbolicLink ? new FileLinkRefusedException(path) : Failure(path, error);
        }

        if (error is IsDirectory or NoDeviceOrAddress)
        {
            // EISDIR: a directory opened for writing. ENXIO: a FIFO without a reader, a socket, a device without a driver.
            var kind = Status(path).Kind;
            return kind is FileKind.Missing or FileKind.Regular ? Failure(path, error) : new FileNotRegularException(path, RegularFile.Describe(kind));
        }

        return Failure(path, error);
    }

    private static Exception Failure(string path, int error)
    {
        var reason = new Win32Exception(error).Message;
        return error switch
        {
            NoEntry => new FileNotFoundException($"could not find '{path}': {reason}", path),
            NotDirectory => new DirectoryNotFoundException($"a folder on the way to '{path}' is missing: {reason}"),
            AccessDenied or NotPermitted => new UnauthorizedAccessException($"access to '{path}' was denied: {reason}"),
            Exists => new IOException($"'{path}' already exists: {reason}"),
            _ => new IOException($"could not open '{path}': {reason}"),
        };
    }

    private static FileStatus Decode(byte[] buffer)
    {
        int mode;
        long links;
        long size;
        ulong device;
        ulong inode;
        if (IsMac)
        {
            // struct stat (64-bit inodes): st_dev int32 @0, st_mode uint16 @4, st_nlink uint16 @6, st_ino @8, st_size @96.
            device = BitConverter.ToUInt32(buffer, 0);
            mode = BitConverter.ToUInt16(buffer, 4);
            links = BitConverter.ToUInt16(buffer, 6);
            inode = BitConverter.ToUInt64(buffer, 8);
            size = BitConverter.ToInt64(buffer, 96);
        }
        else
        {
            // struct statx: stx_nlink @16, stx_mode @28, stx_ino @32, stx_size @40, stx_dev_major @136, stx_dev_minor @140.
            links = BitConverter.ToUInt32(buffer, 16);
            mode = BitConverter.ToUInt16(buffer, 28);
            inode = BitConverter.ToUInt64(buffer, 32);
            size = BitConverter.ToInt64(buffer, 40);
            device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        }

        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
        return new FileStatus(kind, size, links, (device, inode));
    }

    private static int StatX(int directory, byte[] path, int flags, byte[] buffer)
    {
        if (!s_noStatxExport)
        {
            try
            {
                return StatXNative(directory, path, flags, StatxBasicStats, buffer);
            }
            catch (EntryPointNotFoundException)
            {
                // glibc before 2.28, musl before 1.2.5: the system call is there, the wrapper is not.
                s_noStatxExport = true;
            }
        }

        var number = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 332,
            Architecture.X86 => 383,
            Architecture.Arm => 397,
            _ => 291,
        };
        var result = SysCall(number, directory, path, flags, StatxBasicStats, buffer);
        if (result < 0 && Marshal.GetLastWin32Error() == NoSystemCall)
        {
            throw new PlatformNotSupportedException("this kernel has no statx(2) (Linux 4.11 or later is needed to check local files)");
        }

        return (int)result;
    }

    private static int FStatMac(int descriptor, byte[] buffer) => MacArm64 ? FStatArm64(descriptor, buffer) : FStatInode64(descriptor, buffer);

    private static int LStatMac(byte[] path, byte[] buffer) => MacArm64 ? LStatArm64(path, buffer) : LStatInode64(path, buffer);

    private static byte[] NullTerminated(string path) => Encoding.UTF8.GetBytes(path + "\0");

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenNative(byte[] path, int flags, int mode);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int descriptor, int operation);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int StatXNative(int directory, byte[] path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long SysCall(long number, int directory, byte[] path, int flags, uint mask, byte[] buffer);

    [DllImport("libc", EntryPoint = "fstat$INODE64", SetLastError = true)]
    private static extern int FStatInode64(int descriptor, byte[] buffer);

    [DllImport("libc", EntryPoint = "lstat$INODE64", SetLastError = true)]
    private static extern int LStatInode64(byte[] path, byte[] buffer);

    [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static extern int FStatArm64(int descriptor, byte[] buffer);

    [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
    private static extern int LStatArm64(byte[] path, byte[] buffer);
}
