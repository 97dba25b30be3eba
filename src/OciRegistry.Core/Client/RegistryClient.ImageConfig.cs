using System;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Client;

/// <summary>
/// The image config as an object: what CI scripts ask of an image beyond its digest (a label, the user, the
/// entrypoint), read from the config blob, capped and verified like every small blob.
/// </summary>
/// <remarks>https://github.com/opencontainers/image-spec/blob/main/config.md.</remarks>
public sealed partial class RegistryClient
{
    /// <summary>
    /// Reads and parses the config of <paramref name="manifest"/>. An artifact (a config that is not an OCI or Docker
    /// image config) fails with <see cref="NotAnImageConfigException"/> before any request; a malformed config with
    /// <see cref="ImageConfigFormatException"/>.
    /// </summary>
    /// <param name="manifest">An image manifest that knows where it came from.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public async Task<ImageConfigDocument> GetImageConfigAsync(ImageManifest manifest, CancellationToken cancellationToken = default)
    {
        if (manifest is null)
        {
            throw new ArgumentNullException(nameof(manifest));
        }

        var source = manifest.Source ?? throw new ArgumentException("The manifest does not know where it came from.", nameof(manifest));
        if (!MediaTypes.IsImageConfig(manifest.Config.MediaType))
        {
            throw new NotAnImageConfigException(source.AtDigest(manifest.Digest).ToString(), manifest.Config.MediaType, manifest.EffectiveArtifactType);
        }

        var bytes = await ReadBlobAsync(source, manifest.Config.Digest, Limits.BlobReadBytes, manifest.Config.Size, cancellationToken).ConfigureAwait(false);
        return ImageConfigDocument.Parse(bytes);
    }

    /// <summary>Fetches the manifest or index <paramref name="reference"/> names, then as <see cref="InspectImageAsync(ManifestDocument, Platform?, CancellationToken)"/>.</summary>
    public async Task<ImageInspection> InspectImageAsync(Reference reference, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        var document = await GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        return await InspectImageAsync(document, platform, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One image and its config. An index is resolved to <paramref name="platform"/>'s manifest, and without one
    /// fails with <see cref="PlatformRequiredException"/> naming its platforms. A single image given a platform must
    /// be built for it (its config says), as <see cref="CheckImagePlatformAsync"/> checks, from the one read.
    /// </summary>
    /// <param name="document">A manifest or index, as <see cref="GetManifestAsync"/> returns it.</param>
    /// <param name="platform">The platform wanted; null for a single image as it is.</param>
    /// <param name="cancellationToken">Stops the requests.</param>
    public async Task<ImageInspection> InspectImageAsync(ManifestDocument document, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        if (document is null)
        {
            throw new ArgumentNullException(nameof(document));
        }

        var source = document.Source ?? throw new ArgumentException("The document does not know where it came from.", nameof(document));
        Platform? chosen = null;
        if (document is ImageIndex index)
        {
            if (platform is null)
            {
                throw new PlatformRequiredException(source.AtDigest(index.Digest).ToString(), PlatformManifests.Of(index));
            }

            var entry = SelectPlatform(index, platform);
            chosen = entry.Platform;
            document = await GetManifestAsync(source.AtDigest(entry.Digest), cancellationToken).ConfigureAwait(false);
            if (document is not ImageManifest)
            {
                throw new ManifestFormatException($"the index {source.AtDigest(index.Digest)} lists {entry.Digest} for {platform}, which is not an image manifest but {document.MediaType}");
            }
        }

        var manifest = (ImageManifest)document;
        var config = await GetImageConfigAsync(manifest, cancellationToken).ConfigureAwait(false);
        if (chosen is null && platform is not null)
        {
            chosen = config.Platform;
            if (chosen is not null && !chosen.Satisfies(platform))
            {
                throw new PlatformNotFoundException(platform, [chosen], inIndex: false);
            }
        }

        return new ImageInspection(manifest, config, chosen);
    }
}
