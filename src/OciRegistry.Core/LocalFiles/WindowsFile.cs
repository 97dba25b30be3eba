using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OciRegistry.Core.LocalFiles;

/// <summary>
/// The Windows side of <see cref="RegularFile"/>: <c>CreateFile</c> with <c>FILE_FLAG_OPEN_REPARSE_POINT</c>, so a
/// symbolic link, junction or other reparse point is opened as itself rather than followed, then
/// <c>GetFileInformationByHandle</c> and <c>GetFileType</c> on the open handle: attributes, link count, and the
/// volume serial number and file index as the file's identity.
/// </summary>
/// <remarks>
/// https://learn.microsoft.com/windows/win32/api/fileapi/nf-fileapi-createfilew,
/// https://learn.microsoft.com/windows/win32/api/fileapi/nf-fileapi-getfileinformationbyhandle,
/// https://learn.microsoft.com/windows/win32/fileio/symbolic-link-effects-on-file-systems-functions.
/// </remarks>
internal static class WindowsFile
{
    private const uint GenericRead = 0x80000000;
    private const uint GenericWrite = 0x40000000;
    private const uint ShareRead = 1;
    private const uint ShareWrite = 2;
    private const uint ShareDelete = 4;
    private const uint CreateNewDisposition = 1;
    private const uint OpenExistingDisposition = 3;
    private const uint OpenAlwaysDisposition = 4;
    private const uint OpenReparsePoint = 0x00200000;
    private const uint BackupSemantics = 0x02000000;
    private const uint AttributeDirectory = 0x10;
    private const uint AttributeReparsePoint = 0x400;
    private const uint TypeDisk = 1;
    private const uint TypeCharacter = 2;
    private const uint TypePipe = 3;
    private const int ErrorFileNotFound = 2;
    private const int ErrorPathNotFound = 3;
    private const int ErrorAccessDenied = 5;
    private const int ErrorInvalidName = 123;

    /// <summary>
    /// Opens <paramref name="path"/>: for reading (sharing reads, like <see cref="FileShare.Read"/>) or for reading
    /// and writing (sharing nothing, like <see cref="FileShare.None"/>), creating it when <paramref name="create"/>
    /// allows. A reparse point is opened as itself unless <paramref name="followFinalLink"/>.
    /// </summary>
    public static SafeFileHandle Open(string path, bool write, bool followFinalLink, FileMode create)
    {
        var disposition = create switch
        {
            FileMode.CreateNew => CreateNewDisposition,
            FileMode.Create or FileMode.OpenOrCreate or FileMode.Append => OpenAlwaysDisposition,
            _ => OpenExistingDisposition,
        };
        var handle = CreateFileW(
            path,
            write ? GenericRead | GenericWrite : GenericRead,
            write ? 0 : ShareRead,
            IntPtr.Zero,
            disposition,
            followFinalLink ? 0 : OpenReparsePoint,
            IntPtr.Zero);
        if (handle.IsInvalid)
        {
            var error = Marshal.GetLastWin32Error();
            handle.Dispose();

            // A directory cannot be opened without FILE_FLAG_BACKUP_SEMANTICS: say what is there instead of "access denied".
            if (error == ErrorAccessDenied && Status(path).Kind == FileKind.Directory)
            {
                throw new FileNotRegularException(path, RegularFile.Describe(FileKind.Directory));
            }

            throw Failure(path, error);
        }

        return handle;
    }

    /// <summary>The status of the open file behind <paramref name="handle"/>.</summary>
    public static FileStatus Status(SafeFileHandle handle)
    {
        var type = GetFileType(handle);
        if (type == TypeCharacter)
        {
            return new FileStatus(FileKind.CharacterDevice, 0, 1, default);
        }

        if (type == TypePipe)
        {
            return new FileStatus(FileKind.Fifo, 0, 1, default);
        }

        if (type != TypeDisk)
        {
            return new FileStatus(FileKind.Other, 0, 1, default);
        }

        if (!GetFileInformationByHandle(handle, out var info))
        {
            throw new IOException($"could not read the status of an open file: {Marshal.GetExceptionForHR(Marshal.GetHRForLastWin32Error())?.Message}");
        }

        var kind = (info.Attributes & AttributeReparsePoint) != 0 ? FileKind.SymbolicLink
            : (info.Attributes & AttributeDirectory) != 0 ? FileKind.Directory
            : FileKind.Regular;
        var size = ((long)info.SizeHigh << 32) | info.SizeLow;
        var index = ((ulong)info.IndexHigh << 32) | info.IndexLow;
        return new FileStatus(kind, size, info.Links, (info.VolumeSerial, index));
    }

    /// <summary>The status of <paramref name="path"/> itself (a reparse point is described, not followed); Missing when absent.</summary>
    public static FileStatus Status(string path)
    {
        // No access rights asked: only the attributes are read, and nothing is locked against others.
        using var handle = CreateFileW(path, 0, ShareRead | ShareWrite | ShareDelete, IntPtr.Zero, OpenExistingDisposition, OpenReparsePoint | BackupSemantics, IntPtr.Zero);
        if (handle.IsInvalid)
        {
            var error = Marshal.GetLastWin32Error();
            if (error is ErrorFileNotFound or ErrorPathNotFound or ErrorInvalidName)
            {
                return FileStatus.Missing;
            }

            throw Failure(path, error);
        }

        return Status(handle);
    }

    private static Exception Failure(string path, int error)
    {
        var system = Marshal.GetExceptionForHR(unchecked((int)0x80070000) | error);
        var reason = system?.Message ?? $"error {error}";
        return error switch
        {
            ErrorFileNotFound => new FileNotFoundException($"could not find '{path}': {reason}", path),
            ErrorPathNotFound => new DirectoryNotFoundException($"a folder on the way to '{path}' is missing: {reason}"),
            ErrorAccessDenied => new UnauthorizedAccessException($"access to '{path}' was denied: {reason}"),
            _ => new IOException($"could not open '{path}': {reason}", unchecked((int)0x80070000) | error),
        };
    }

    [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern SafeFileHandle CreateFileW(string fileName, uint desiredAccess, uint shareMode, IntPtr securityAttributes, uint creationDisposition, uint flagsAndAttributes, IntPtr templateFile);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool GetFileInformationByHandle(SafeFileHandle file, out ByHandleFileInformation information);

    [DllImport("kernel32.dll", SetLastError = true)]
    private static extern uint GetFileType(SafeFileHandle file);

    // BY_HANDLE_FILE_INFORMATION; each FILETIME is two DWORDs (4-byte aligned), so they are spelled out.
    [StructLayout(LayoutKind.Sequential)]
    private struct ByHandleFileInformation
    {
        public uint Attributes;
        public uint CreationLow;
        public uint CreationHigh;
        public uint AccessLow;
        public uint AccessHigh;
        public uint WriteLow;
        public uint WriteHigh;
        public uint VolumeSerial;
        public uint SizeHigh;
        public uint SizeLow;
        public uint Links;
        public uint IndexHigh;
        public uint IndexLow;
    }
}
