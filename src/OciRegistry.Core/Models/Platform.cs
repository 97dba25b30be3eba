using System;
using System.Collections.Generic;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Models;

/// <summary>
/// The platform an image runs on. See https://github.com/opencontainers/image-spec/blob/main/image-index.md.
/// </summary>
public sealed class Platform
{
    /// <summary>Creates a platform.</summary>
    public Platform(string os, string architecture, string? variant = null, string? osVersion = null, IReadOnlyList<string>? osFeatures = null)
    {
        Os = os;
        Architecture = architecture;
        Variant = string.IsNullOrEmpty(variant) ? null : variant;
        OsVersion = string.IsNullOrEmpty(osVersion) ? null : osVersion;
        OsFeatures = osFeatures ?? [];
    }

    /// <summary>The operating system, e.g. <c>linux</c>, <c>windows</c>.</summary>
    public string Os { get; }

    /// <summary>The CPU architecture in GOARCH terms, e.g. <c>amd64</c>, <c>arm64</c>.</summary>
    public string Architecture { get; }

    /// <summary>The CPU variant, e.g. <c>v8</c> for arm64 or <c>v7</c> for arm.</summary>
    public string? Variant { get; }

    /// <summary>The OS version, used by Windows images.</summary>
    public string? OsVersion { get; }

    /// <summary>Required OS features.</summary>
    public IReadOnlyList<string> OsFeatures { get; }

    /// <summary>Parses <c>os/architecture[/variant]</c>, e.g. <c>linux/arm64/v8</c>.</summary>
    /// <exception cref="InvalidPlatformException">The text is not written so.</exception>
    public static Platform Parse(string text)
    {
        var parts = (text ?? string.Empty).Trim().Split('/');
        if (parts.Length is < 2 or > 3 || Array.Exists(parts, p => p.Length == 0 || p.Length > 64 || p.IndexOfAny([' ', '\t', '\\']) >= 0))
        {
            // A lone architecture is refused rather than given an OS: docker takes the daemon's, and a client on
            // Windows and one on Linux would then pull different images for the same script.
            throw new InvalidPlatformException(text ?? string.Empty);
        }

        return new Platform(parts[0].ToLowerInvariant(), parts[1].ToLowerInvariant(), parts.Length == 3 ? parts[2].ToLowerInvariant() : null);
    }

    /// <summary>
    /// Whether this (an index entry's platform) satisfies <paramref name="wanted"/>. OS and architecture must be
    /// equal; a wanted variant must match, with the defaults containerd applies (arm64 is v8, arm is v7).
    /// </summary>
    public bool Satisfies(Platform wanted)
    {
        if (wanted is null)
        {
            throw new ArgumentNullException(nameof(wanted));
        }

        if (!string.Equals(Os, wanted.Os, StringComparison.OrdinalIgnoreCase) ||
            !string.Equals(NormaliseArchitecture(Architecture), NormaliseArchitecture(wanted.Architecture), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (wanted.Variant is not null &&
            !string.Equals(NormaliseVariant(Architecture, Variant), NormaliseVariant(wanted.Architecture, wanted.Variant), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return wanted.OsVersion is null || (OsVersion?.StartsWith(wanted.OsVersion, StringComparison.OrdinalIgnoreCase) ?? false);
    }

    private static string NormaliseArchitecture(string architecture) => architecture.ToLowerInvariant() switch
    {
        "x86_64" or "x86-64" => "amd64",
        "aarch64" => "arm64",
        var other => other,
    };

    private static string? NormaliseVariant(string architecture, string? variant) => (NormaliseArchitecture(architecture), variant?.ToLowerInvariant()) switch
    {
        ("arm64", null or "8") => "v8",
        ("arm", null or "7") => "v7",
        ("arm", "6") => "v6",
        (_, var v) => v,
    };

    /// <summary>The platform as <c>os/architecture[/variant]</c>.</summary>
    public override string ToString() => Os + "/" + Architecture + (Variant is null ? string.Empty : "/" + Variant);
}
