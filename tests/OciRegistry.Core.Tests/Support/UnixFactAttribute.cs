using System;

namespace OciRegistry.Core.Tests.Support;

/// <summary>
/// A fact that needs Unix (a shell script, a FIFO, a symbolic link made without privileges, a process group):
/// reported as skipped on Windows rather than passing without having run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "needs Unix: /bin/sh, mkfifo, symbolic links and process groups";
        }
    }
}
