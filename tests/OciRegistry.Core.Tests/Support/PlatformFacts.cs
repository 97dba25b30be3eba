using System;
using System.Runtime.InteropServices;

namespace OciRegistry.Core.Tests.Support;

/// <summary>A fact that needs Unix tools or files (mkfifo, ln, /dev/zero): skipped, and reported as skipped, on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        Skip = PlatformFacts.UnlessUnix();
    }
}

/// <summary>A theory that needs Unix tools or files: skipped on Windows.</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    public UnixTheoryAttribute()
    {
        Skip = PlatformFacts.UnlessUnix();
    }
}

/// <summary>A fact that needs Linux (<c>/proc/self/fd</c>); skipped, with the reason, elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "counts open files through /proc/self/fd, which only Linux has";
        }
    }
}

internal static class PlatformFacts
{
    /// <summary>The skip reason on Windows, null elsewhere.</summary>
    public static string? UnlessUnix() =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "needs a Unix file system (FIFOs, devices, ln)" : null;
}
