using System;
using System.Runtime.InteropServices;

namespace OciRegistry.Core.Extraction;

/// <summary>How an image's layers are read and written out: the bounds on the work, and what to do with unsafe entries.</summary>
public sealed class ExtractionOptions
{
    /// <summary>The default bound on the bytes all layers expand to: far above real images, far below a full disk.</summary>
    public const long DefaultMaximumSize = 16L * 1024 * 1024 * 1024;

    /// <summary>The bound on entries across all layers: a million, where the largest real images hold a few hundred thousand.</summary>
    public const int DefaultMaximumEntries = 1_000_000;

    /// <summary>The bound on the bytes of all layers once decompressed (tar headers included).</summary>
    public long MaximumSize { get; set; } = DefaultMaximumSize;

    /// <summary>The bound on entries across all layers.</summary>
    public int MaximumEntries { get; set; } = DefaultMaximumEntries;

    /// <summary>Skip unsafe entries with a warning rather than fail.</summary>
    public bool SkipUnsafeEntries { get; set; }

    /// <summary>Keep setuid and setgid bits (dropped by default).</summary>
    public bool PreservePermissions { get; set; }

    /// <summary>Refuse the names Windows reads as something else; true on Windows, and in tests of those rules.</summary>
    public bool WindowsNames { get; set; } = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <summary>Whether names differing only by case collide; null to ask the destination's file system.</summary>
    public bool? CaseInsensitive { get; set; }

    /// <summary>Receives warnings (entries skipped, links not permitted); null drops them.</summary>
    public Action<string>? Warning { get; set; }

    /// <summary>Which image paths (normalised, no leading <c>/</c>) to write; null for all. A directory brings its subtree.</summary>
    public Func<string, bool>? Include { get; set; }

    internal void Warn(string text) => Warning?.Invoke(text);
}
