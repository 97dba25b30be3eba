using System;

namespace OciRegistry.Core.Tests.TestRegistry;

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
