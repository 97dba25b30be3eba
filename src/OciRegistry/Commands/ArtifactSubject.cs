using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Publish-OciArtifact's -Subject: the manifest an artifact refers to, as a descriptor for its <c>subject</c> field.
/// An object that knows its digest, media type and size (Get-OciManifest, Get-OciReferrer, Resolve-OciDigest,
/// Publish-OciArtifact) is taken as it is; a reference, or a bare digest of the target repository, is resolved with
/// one HEAD. Referrers are per repository, so a subject elsewhere is refused before any request.
/// </summary>
/// <remarks>https://github.com/opencontainers/image-spec/blob/main/manifest.md#image-manifest-property-descriptions (subject).</remarks>
internal sealed class ArtifactSubject
{
    private readonly Descriptor? _known;

    private ArtifactSubject(Descriptor? known, Reference reference)
    {
        _known = known;
        Reference = reference;
    }

    /// <summary>The subject, pinned by digest when it is known, else as given.</summary>
    public Reference Reference { get; }

    /// <summary>Reads -Subject for an artifact going to <paramref name="target"/>.</summary>
    /// <exception cref="ArgumentException">A value that names no manifest, or one in another repository.</exception>
    public static ArtifactSubject From(object value, Reference target)
    {
        var repository = target.RepositoryOnly();
        switch (value is PSObject wrapped ? wrapped.BaseObject : value)
        {
            case OciManifestBase manifest:
                return Known(manifest.Reference, manifest.MediaType, manifest.Digest, manifest.Size, target);
            case OciPublishedArtifact artifact:
                return Known(artifact.Reference, artifact.MediaType, artifact.Digest, artifact.Size, target);
            case OciDescriptor { Reference: { } reference } descriptor when MediaTypes.IsManifest(descriptor.MediaType) || MediaTypes.IsIndex(descriptor.MediaType):
                return Known(reference, descriptor.MediaType, descriptor.Digest, descriptor.Size, target);
            case OciResolvedDigest { MediaType: { } mediaType, Size: { } size } resolved:
                return Known(resolved.Reference, mediaType, resolved.Digest, size, target);
            case OciResolvedDigest resolved:
                return FromText(resolved.Reference, target);
            case string text when Digest.TryParse(text, out var digest, out _):
                return new ArtifactSubject(null, repository.AtDigest(digest));
            case string text:
                return FromText(text, target);
            default:
                throw new ArgumentException($"-Subject takes a reference, a digest or a manifest object (Get-OciManifest, Resolve-OciDigest, Publish-OciArtifact), not '{value}'.");
        }
    }

    /// <summary>The subject's descriptor: as given, or from one HEAD (a GET where the registry needs one).</summary>
    public async Task<Descriptor> DescribeAsync(RegistryClient client, CancellationToken cancellationToken)
    {
        if (_known is not null)
        {
            return _known;
        }

        var head = await client.ResolveManifestAsync(Reference, null, cancellationToken).ConfigureAwait(false);
        var mediaType = head.MediaType;
        var size = head.Size;
        if (mediaType is null || size is null)
        {
            var document = await client.GetManifestAsync(head.Pinned, cancellationToken).ConfigureAwait(false);
            mediaType = document.MediaType;
            size = document.Size;
        }

        return new Descriptor { MediaType = mediaType, Digest = head.Digest, Size = size.Value };
    }

    private static ArtifactSubject FromText(string text, Reference target)
    {
        if (!Core.References.Reference.TryParse(text, out var reference, out var problem))
        {
            throw new ArgumentException($"-Subject '{text}' is not a reference: {problem}.");
        }

        Check(reference, target);
        return new ArtifactSubject(null, reference);
    }

    private static ArtifactSubject Known(string reference, string mediaType, string digest, long size, Reference target)
    {
        var parsed = Core.References.Reference.Parse(reference);
        Check(parsed, target);
        var descriptor = new Descriptor { MediaType = mediaType, Digest = Digest.Parse(digest), Size = size };
        return new ArtifactSubject(descriptor, parsed.AtDigest(descriptor.Digest));
    }

    private static void Check(Reference subject, Reference target)
    {
        if (!string.Equals(subject.Registry, target.Registry, StringComparison.OrdinalIgnoreCase) ||
            !string.Equals(subject.Repository, target.Repository, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The subject {subject} is not in {target.RepositoryOnly()}: an artifact can refer only to a manifest of its own repository, where its referrers are listed.");
        }
    }
}
