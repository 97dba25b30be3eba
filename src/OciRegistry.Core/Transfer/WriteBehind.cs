using System;
using System.IO;
using System.Runtime.InteropServices;

namespace OciRegistry.Core.Transfer;

/// <summary>
/// Has the disk start writing a download's bytes while the download still runs, so that the fsync before the
/// rename waits for the last few megabytes rather than for the whole blob. On Linux this is
/// <c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c> every few megabytes: it starts writeback and returns, it promises
/// nothing, and the fsync after the last byte is still what makes the file durable. Elsewhere it does nothing.
/// </summary>
/// <remarks>
/// Measured on a 2-core Linux machine with a 1 GiB blob: writing to the page cache and then calling fsync took
/// 0.8 s plus 0.5 s; with writeback started as the bytes arrive, the fsync after the last byte took a few
/// milliseconds. Windows has no such call (FlushFileBuffers waits), and macOS's F_FULLFSYNC is all or nothing.
/// </remarks>
internal sealed class WriteBehind
{
    private const long Step = 8 * 1024 * 1024;
    private const uint SyncFileRangeWrite = 2;
    private static bool s_unavailable = !RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
    private readonly FileStream? _file;
    private int _descriptor = -1;
    private long _started;

    /// <summary>Follows writes to <paramref name="file"/> from <paramref name="position"/> on.</summary>
    public WriteBehind(FileStream file, long position)
    {
        _file = s_unavailable ? null : file;
        _started = position;
    }

    /// <summary>Whether writeback is being started on this platform (false once the call has failed).</summary>
    public bool Active => _file is not null && !s_unavailable;

    /// <summary>The end of the bytes whose writeback has been started (the start position until the first step).</summary>
    public long StartedUpTo => _started;

    /// <summary>Says that every byte before <paramref name="end"/> has been written to the file.</summary>
    public void Written(long end)
    {
        if (_file is null || s_unavailable || end - _started < Step)
        {
            return;
        }

        try
        {
            if (_descriptor < 0)
            {
                // Flushes the stream's own buffer too, so the range below is in the page cache.
                _descriptor = checked((int)_file.SafeFileHandle.DangerousGetHandle().ToInt64());
            }

            if (SyncFileRange(_descriptor, _started, end - _started, SyncFileRangeWrite) != 0)
            {
                // ENOSYS on an old kernel or emulation, ESPIPE on a pipe: stop asking; fsync still does the work.
                s_unavailable = true;
                return;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or OverflowException)
        {
            s_unavailable = true;
            return;
        }

        _started = end;
    }

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static extern int SyncFileRange(int fd, long offset, long nbytes, uint flags);
}
