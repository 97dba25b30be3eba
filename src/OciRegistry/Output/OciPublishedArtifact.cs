using System.Collections.Generic;
using System.Linq;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Output;

/// <summary>
/// What Publish-OciArtifact pushed. Its <see cref="Reference"/> is pinned by digest, so it pipes into
/// Get-OciManifest, Get-OciReferrer or Remove-OciManifest and they work on exactly what was pushed; its
/// <see cref="Files"/> pipe into Save-OciBlob.
/// </summary>
public sealed class OciPublishedArtifact
{
    internal OciPublishedArtifact(Reference target, Digest digest, long size, string? artifactType, Descriptor config, IReadOnlyList<Descriptor> files, Descriptor? subject, long bytesUploaded, bool referrersTagUpdated)
    {
        var repository = target.RepositoryOnly();
        Registry = target.Registry;
        Repository = target.Repository;
        Tag = target.Tag;
        Digest = digest.ToString();
        Reference = target.AtDigest(digest).ToString();
        Size = size;
        ArtifactType = artifactType ?? config.MediaType;
        Config = new OciDescriptor(config with { Source = repository });
        Files = [.. files.Select(f => new OciDescriptor(f with { Source = repository }))];
        TotalSize = config.Size + files.Sum(f => f.Size);
        Subject = subject is null ? null : new OciDescriptor(subject with { Source = repository });
        BytesUploaded = bytesUploaded;
        ReferrersTagUpdated = referrersTagUpdated;
    }

    /// <summary>The manifest pinned by digest: <c>registry/repository@digest</c>.</summary>
    public string Reference { get; }

    /// <summary>The registry.</summary>
    public string Registry { get; }

    /// <summary>The repository.</summary>
    public string Repository { get; }

    /// <summary>The tag pushed; null when the artifact was pushed by digest alone.</summary>
    public string? Tag { get; }

    /// <summary>The digest of the manifest's exact bytes.</summary>
    public string Digest { get; }

    /// <summary>The media type of the manifest.</summary>
    public string MediaType => MediaTypes.OciManifest;

    /// <summary>The artifact type (<c>artifactType</c>, else the config's media type).</summary>
    public string ArtifactType { get; }

    /// <summary>The size of the manifest itself in bytes.</summary>
    public long Size { get; }

    /// <summary>The config: the empty one, or the -ConfigPath file.</summary>
    public OciDescriptor Config { get; }

    /// <summary>One descriptor per file, in order; Title is the file name.</summary>
    public OciDescriptor[] Files { get; }

    /// <summary>Config plus files, in bytes.</summary>
    public long TotalSize { get; }

    /// <summary>The bytes sent: files the registry already had cost nothing.</summary>
    public long BytesUploaded { get; }

    /// <summary>The manifest the artifact refers to; null without -Subject.</summary>
    public OciDescriptor? Subject { get; }

    /// <summary>Whether the artifact was added to its subject's referrers tag, for a registry without the referrers API.</summary>
    public bool ReferrersTagUpdated { get; }

    /// <summary>The reference.</summary>
    public override string ToString() => Reference;
}
