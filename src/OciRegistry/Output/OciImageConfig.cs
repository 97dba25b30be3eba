using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Output;

/// <summary>
/// An image's config as an object: what it runs, as whom, with which environment and labels, and how it was built.
/// Reference, Digest, MediaType and Size are those of the config blob, so the object pipes into Get-OciBlob.
/// </summary>
public sealed class OciImageConfig
{
    internal OciImageConfig(ImageManifest manifest, ImageConfigDocument config)
    {
        var source = manifest.Source!;
        Reference = source.AtDigest(manifest.Config.Digest).ToString();
        Digest = manifest.Config.Digest.ToString();
        MediaType = manifest.Config.MediaType;
        Size = manifest.Config.Size;
        Manifest = source.AtDigest(manifest.Digest).ToString();
        Created = config.Created;
        Author = config.Author;
        Os = config.Os;
        Architecture = config.Architecture;
        Variant = config.Variant;
        OsVersion = config.OsVersion;
        User = config.User;
        WorkingDir = config.WorkingDir;
        Entrypoint = [.. config.Entrypoint];
        Cmd = [.. config.Cmd];
        Env = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var variable in config.Env)
        {
            Env[variable.Key] = variable.Value;
        }

        Labels = config.Labels.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        ExposedPorts = [.. config.ExposedPorts];
        Volumes = [.. config.Volumes];
        StopSignal = config.StopSignal;
        History = config.History.Select(h => new OciImageHistory(h)).ToArray();
        DiffIds = [.. config.DiffIds];
    }

    /// <summary>The config blob pinned by digest: <c>registry/repository@digest</c>.</summary>
    public string Reference { get; }

    /// <summary>The config blob's digest.</summary>
    public string Digest { get; }

    /// <summary>The config's media type (OCI or Docker image config).</summary>
    public string MediaType { get; }

    /// <summary>The config blob's size in bytes.</summary>
    public long Size { get; }

    /// <summary>The image manifest the config belongs to, pinned by digest.</summary>
    public string Manifest { get; }

    /// <summary>When the image was created.</summary>
    public DateTimeOffset? Created { get; }

    /// <summary>Who created it.</summary>
    public string? Author { get; }

    /// <summary>The operating system.</summary>
    public string? Os { get; }

    /// <summary>The CPU architecture.</summary>
    public string? Architecture { get; }

    /// <summary>The CPU variant, if any.</summary>
    public string? Variant { get; }

    /// <summary>The OS version (Windows images), if any.</summary>
    public string? OsVersion { get; }

    /// <summary><c>os/architecture[/variant]</c>, the form <c>-Platform</c> takes; null when the config names none.</summary>
    public string? Platform => Os is { Length: > 0 } && Architecture is { Length: > 0 }
        ? Os + "/" + Architecture + (Variant is { Length: > 0 } ? "/" + Variant : string.Empty)
        : null;

    /// <summary>The user the process runs as.</summary>
    public string? User { get; }

    /// <summary>The working directory.</summary>
    public string? WorkingDir { get; }

    /// <summary>The entrypoint; empty when not set.</summary>
    public string[] Entrypoint { get; }

    /// <summary>The default arguments; empty when not set.</summary>
    public string[] Cmd { get; }

    /// <summary>The environment, name to value in the config's order; a variable written without '=' has a null value.</summary>
    public OrderedDictionary Env { get; }

    /// <summary>The labels, name to value (names compared case-sensitively).</summary>
    public Dictionary<string, string> Labels { get; }

    /// <summary>The exposed ports, such as <c>80/tcp</c>.</summary>
    public string[] ExposedPorts { get; }

    /// <summary>The volumes.</summary>
    public string[] Volumes { get; }

    /// <summary>The signal that stops the container.</summary>
    public string? StopSignal { get; }

    /// <summary>The build history, oldest first.</summary>
    public OciImageHistory[] History { get; }

    /// <summary>The digests of the uncompressed layers (<c>rootfs.diff_ids</c>), in layer order.</summary>
    public string[] DiffIds { get; }

    /// <summary>The config blob's reference.</summary>
    public override string ToString() => Reference;
}
