using OciRegistry.Core.Models;

namespace OciRegistry.Output;

/// <summary>The platform of an image: OS, architecture and variant.</summary>
public sealed class OciPlatform
{
    internal OciPlatform(Platform platform)
    {
        Os = platform.Os;
        Architecture = platform.Architecture;
        Variant = platform.Variant;
        OsVersion = platform.OsVersion;
        OsFeatures = [.. platform.OsFeatures];
    }

    /// <summary>The operating system.</summary>
    public string Os { get; }

    /// <summary>The CPU architecture.</summary>
    public string Architecture { get; }

    /// <summary>The CPU variant, if any.</summary>
    public string? Variant { get; }

    /// <summary>The OS version, if any.</summary>
    public string? OsVersion { get; }

    /// <summary>Required OS features.</summary>
    public string[] OsFeatures { get; }

    /// <summary><c>os/architecture[/variant]</c>, the form <c>-Platform</c> takes.</summary>
    public override string ToString() => Os + "/" + Architecture + (Variant is null ? string.Empty : "/" + Variant);
}
