using OciRegistry.Core.Client;

namespace OciRegistry.Output;

/// <summary>
/// What a reference resolves to (Resolve-OciDigest). Its <see cref="Reference"/> is the pinned
/// <c>registry/repository@digest</c>, so it pipes into every cmdlet's -Reference and the next command works on
/// exactly what was resolved, even when the tag moves meanwhile; <see cref="Source"/> is what was asked.
/// </summary>
public sealed class OciResolvedDigest
{
    internal OciResolvedDigest(ManifestHead head)
    {
        Source = head.Reference.ToString();
        Registry = head.Reference.Registry;
        Repository = head.Reference.Repository;
        Tag = head.Reference.Tag;
        Digest = head.Digest.ToString();
        MediaType = head.MediaType;
        Size = head.Size;
        Platform = head.Platform is null ? null : new OciPlatform(head.Platform);
        PinnedReference = head.Pinned.ToString();
    }

    /// <summary>The reference as asked, normalised: <c>docker.io/library/alpine:3.20</c>.</summary>
    public string Source { get; }

    /// <summary>The registry.</summary>
    public string Registry { get; }

    /// <summary>The repository.</summary>
    public string Repository { get; }

    /// <summary>The tag that was resolved; null when the reference was a digest.</summary>
    public string? Tag { get; }

    /// <summary>The digest, <c>algorithm:hex</c>; with -Platform, of that platform's manifest.</summary>
    public string Digest { get; }

    /// <summary>The media type the registry (or the index entry) states; null when it sent none.</summary>
    public string? MediaType { get; }

    /// <summary>The size in bytes of the manifest or index; null when the registry did not say.</summary>
    public long? Size { get; }

    /// <summary>The platform chosen with -Platform; null without it.</summary>
    public OciPlatform? Platform { get; }

    /// <summary>The content pinned by digest: <c>registry/repository@digest</c>.</summary>
    public string PinnedReference { get; }

    /// <summary>
    /// The same as <see cref="PinnedReference"/>: a property named Reference is what -Reference binds by property
    /// name, so the pinned reference is what the next cmdlet in a pipeline gets.
    /// </summary>
    public string Reference => PinnedReference;

    /// <summary>The pinned reference.</summary>
    public override string ToString() => PinnedReference;
}
