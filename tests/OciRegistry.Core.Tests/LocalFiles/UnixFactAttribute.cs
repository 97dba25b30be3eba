using System.Runtime.InteropServices;

namespace OciRegistry.Core.Tests.LocalFiles;

/// <summary>A fact that needs Unix tools or files (mkfifo, ln, /dev/zero): skipped, and reported as skipped, on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            Skip = "needs a Unix file system (FIFOs, devices, ln)";
        }
    }
}

/// <summary>A theory that needs Unix tools or files: skipped on Windows.</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    public UnixTheoryAttribute()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            Skip = "needs a Unix file system (FIFOs, devices, ln)";
        }
    }
}
