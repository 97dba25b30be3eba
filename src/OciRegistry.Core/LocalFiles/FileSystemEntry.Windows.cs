using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace OciRegistry.Core.LocalFiles;

/// <summary>The Windows side of <see cref="FileSystemEntry"/>.</summary>
/// <remarks>
/// https://learn.microsoft.com/windows/win32/api/winbase/nf-winbase-createsymboliclinkw,
/// https://learn.microsoft.com/windows/win32/fileio/symbolic-link-effects-on-file-systems-functions
/// (<c>GetFileAttributes</c>, <c>SetFileAttributes</c>, <c>DeleteFile</c>, <c>RemoveDirectory</c> and
/// <c>CreateHardLink</c> act on a link itself; a handle opened with <c>FILE_FLAG_OPEN_REPARSE_POINT</c> is the link's),
/// https://learn.microsoft.com/windows-hardware/drivers/ddi/ntifs/ns-ntifs-_reparse_data_buffer for what
/// <c>FSCTL_GET_REPARSE_POINT</c> returns.
/// </remarks>
public static partial class FileSystemEntry
{
    private const uint SymbolicLinkFlagDirectory = 1;
    private const uint SymbolicLinkFlagAllowUnprivilegedCreate = 2;
    private const uint FileWriteAttributes = 0x100;
    private const uint ShareEverything = 7;
    private const uint OpenExistingDisposition = 3;
    private const uint OpenReparsePointFlag = 0x00200000;
    private const uint BackupSemanticsFlag = 0x02000000;
    private const uint AttributeReadOnly = 0x1;
    private const uint AttributeDirectory = 0x10;
    private const uint AttributeNormal = 0x80;
    private const uint InvalidAttributes = 0xFFFFFFFF;
    private const uint GetReparsePointControl = 0x000900A8;
    private const uint ReparseTagSymbolicLink = 0xA000000C;
    private const uint ReparseTagMountPoint = 0xA0000003;
    private const int MaximumReparseDataSize = 16 * 1024;
    private const int WindowsFileNotFound = 2;
    private const int WindowsPathNotFound = 3;
    private const int WindowsAccessDenied = 5;
    private const int WindowsFileExists = 80;
    private const int WindowsInvalidParameter = 87;
    private const int WindowsInvalidName = 123;
    private const int WindowsAlreadyExists = 183;
    private const int WindowsPrivilegeNotHeld = 1314;
    private const int WindowsNotAReparsePoint = 4390;

    private static void CreateSymbolicLinkWindows(string path, string target, bool targetIsDirectory)
    {
        var flags = SymbolicLinkFlagAllowUnprivilegedCreate | (targetIsDirectory ? SymbolicLinkFlagDirectory : 0);
        if (CreateSymbolicLinkW(path, target, flags))
        {
            return;
        }

        var error = Marshal.GetLastWin32Error();
        if (error == WindowsInvalidParameter)
        {
            // Windows 10 before 1703 knows no unprivileged flag and rejects it: ask again without it.
            if (CreateSymbolicLinkW(path, target, flags & ~SymbolicLinkFlagAllowUnprivilegedCreate))
            {
                return;
            }

            error = Marshal.GetLastWin32Error();
        }

        throw error == WindowsPrivilegeNotHeld
            ? new SymbolicLinkNotPermittedException(path)
            : WindowsFailure("create the symbolic link", path, error, creating: true);
    }

    private static void CreateHardLinkWindows(string path, string existingPath)
    {
        if (!CreateHardLinkW(path, existingPath, IntPtr.Zero))
        {
            throw WindowsFailure($"link '{path}' to '{existingPath}'", path, Marshal.GetLastWin32Error(), creating: true);
        }
    }

    private static void CreateDirectoryWindows(string path)
    {
        // CreateDirectory fails on anything already there, so checking and creating are one step, as mkdir(2) is.
        if (!CreateDirectoryW(path, IntPtr.Zero))
        {
            throw WindowsFailure("create the directory", path, Marshal.GetLastWin32Error(), creating: true);
        }
    }

    private static void SetModifiedTimeWindows(string path, DateTimeOffset time)
    {
        var fileTime = time.ToFileTime();
        using var handle = CreateFileW(path, FileWriteAttributes, ShareEverything, IntPtr.Zero, OpenExistingDisposition, OpenReparsePointFlag | BackupSemanticsFlag, IntPtr.Zero);
        if (handle.IsInvalid)
        {
            throw WindowsFailure("open", path, Marshal.GetLastWin32Error());
        }

        if (!SetFileTime(handle, IntPtr.Zero, ref fileTime, ref fileTime))
        {
            throw WindowsFailure("set the time of", path, Marshal.GetLastWin32Error());
        }
    }

    private static void ClearReadOnlyWindows(string path)
    {
        var attributes = GetFileAttributesW(path);
        if (attributes != InvalidAttributes && (attributes & AttributeReadOnly) != 0)
        {
            var remaining = attributes & ~AttributeReadOnly;
            if (!SetFileAttributesW(path, remaining == 0 ? AttributeNormal : remaining))
            {
                throw WindowsFailure("clear the read-only attribute of", path, Marshal.GetLastWin32Error());
            }
        }
    }

    private static void RemoveEntryWindows(string path)
    {
        var attributes = GetFileAttributesW(path);
        if (attributes == InvalidAttributes)
        {
            var error = Marshal.GetLastWin32Error();
            if (error is WindowsFileNotFound or WindowsPathNotFound)
            {
                return;
            }

            throw WindowsFailure("delete", path, error);
        }

        ClearReadOnlyWindows(path);

        // A directory link or junction carries the directory attribute and goes with RemoveDirectory, as a link.
        var removed = (attributes & AttributeDirectory) != 0 ? RemoveDirectoryW(path) : DeleteFileW(path);
        if (!removed)
        {
            var error = Marshal.GetLastWin32Error();
            if (error is not (WindowsFileNotFound or WindowsPathNotFound))
            {
                throw WindowsFailure("delete", path, error);
            }
        }
    }

    private static string? ReadSymbolicLinkWindows(string path)
    {
        using var handle = CreateFileW(path, 0, ShareEverything, IntPtr.Zero, OpenExistingDisposition, OpenReparsePointFlag | BackupSemanticsFlag, IntPtr.Zero);
        if (handle.IsInvalid)
        {
            var error = Marshal.GetLastWin32Error();
            return error is WindowsFileNotFound or WindowsPathNotFound or WindowsInvalidName ? null : throw WindowsFailure("open", path, error);
        }

        var buffer = new byte[MaximumReparseDataSize];
        if (!DeviceIoControl(handle, GetReparsePointControl, IntPtr.Zero, 0, buffer, (uint)buffer.Length, out var returned, IntPtr.Zero))
        {
            var error = Marshal.GetLastWin32Error();
            return error == WindowsNotAReparsePoint ? null : throw WindowsFailure("read the link", path, error);
        }

        // REPARSE_DATA_BUFFER: tag @0, then substitute name offset/length @8/@10 and print name offset/length @12/@14
        // (bytes, relative to the path buffer), which starts @20 for a symbolic link (after Flags) and @16 for a junction.
        var tag = BitConverter.ToUInt32(buffer, 0);
        var start = tag == ReparseTagSymbolicLink ? 20 : tag == ReparseTagMountPoint ? 16 : 0;
        if (start == 0 || returned < start)
        {
            return null;
        }

        var print = Name(buffer, start, returned, 12);
        if (print.Length > 0)
        {
            return print;
        }

        // No print name: the substitute name is an NT path (\??\C:\dir, \??\UNC\server\share).
        var substitute = Name(buffer, start, returned, 8);
        return substitute.StartsWith(@"\??\UNC\", StringComparison.Ordinal) ? @"\\" + substitute.Substring(8)
            : substitute.StartsWith(@"\??\", StringComparison.Ordinal) ? substitute.Substring(4)
            : substitute;
    }

    private static string Name(byte[] buffer, int start, uint returned, int field)
    {
        var offset = start + BitConverter.ToUInt16(buffer, field);
        var length = BitConverter.ToUInt16(buffer, field + 2);
        if (offset + length > returned)
        {
            throw new IOException("the system returned a malformed reparse point");
        }

        return Encoding.Unicode.GetString(buffer, offset, length);
    }

    private static Exception WindowsFailure(string action, string path, int error, bool creating = false)
    {
        var reason = Marshal.GetExceptionForHR(unchecked((int)0x80070000) | error)?.Message ?? $"error {error}";
        var hresult = unchecked((int)0x80070000) | error;
        return error switch
        {
            WindowsAlreadyExists or WindowsFileExists => new IOException($"could not {action} '{path}': something is already there ({reason})", hresult),
            WindowsFileNotFound or WindowsPathNotFound when creating => new DirectoryNotFoundException($"could not {action} '{path}': a folder on the way is missing ({reason})"),
            WindowsFileNotFound => new FileNotFoundException($"could not {action} '{path}': {reason}", path),
            WindowsPathNotFound => new DirectoryNotFoundException($"could not {action} '{path}': a folder on the way is missing ({reason})"),
            WindowsAccessDenied => new UnauthorizedAccessException($"could not {action} '{path}': {reason}"),
            _ => new IOException($"could not {action} '{path}': {reason}", hresult),
        };
    }

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool CreateSymbolicLinkW(string symlinkFileName, string targetFileName, uint flags);

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool CreateHardLinkW(string fileName, string existingFileName, IntPtr securityAttributes);

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool CreateDirectoryW(string pathName, IntPtr securityAttributes);

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern SafeFileHandle CreateFileW(string fileName, uint desiredAccess, uint shareMode, IntPtr securityAttributes, uint creationDisposition, uint flagsAndAttributes, IntPtr templateFile);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool SetFileTime(SafeFileHandle file, IntPtr creationTime, ref long lastAccessTime, ref long lastWriteTime);

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern uint GetFileAttributesW(string fileName);

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool SetFileAttributesW(string fileName, uint attributes);

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool DeleteFileW(string fileName);

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool RemoveDirectoryW(string pathName);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool DeviceIoControl(SafeFileHandle device, uint controlCode, IntPtr inBuffer, uint inBufferSize, byte[] outBuffer, uint outBufferSize, out uint bytesReturned, IntPtr overlapped);
}
