using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Layout;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// The layers of one image, base first, and where their bytes come from: what every extraction starts from. An index
/// is resolved to one platform first; without one asked for, to Linux on this machine's architecture (what
/// <c>docker pull</c> picks), so that <c>alpine</c> needs no <c>-Platform</c>.
/// </summary>
public sealed class ImageLayers
{
    private ImageLayers(ImageManifest? manifest, IReadOnlyList<Descriptor> layers, string name, LayerSource source)
    {
        Manifest = manifest;
        Name = name;
        Source = source;
        Layers = layers;
    }

    /// <summary>The image manifest; null for one layer read as a blob (<see cref="FromBlob"/>).</summary>
    public ImageManifest? Manifest { get; }

    /// <summary>The image as messages name it: a reference at its digest, or a layout path and digest.</summary>
    public string Name { get; }

    /// <summary>The layers, base first.</summary>
    public IReadOnlyList<Descriptor> Layers { get; }

    /// <summary>Where the layers' bytes come from.</summary>
    public LayerSource Source { get; }

    /// <summary>The platform an index is resolved to when none is asked for: Linux on this machine's architecture.</summary>
    public static Platform DefaultPlatform => new("linux", RuntimeInformation.OSArchitecture switch
    {
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        _ => "amd64",
    });

    /// <summary>Resolves <paramref name="reference"/> at a registry; layers found in <paramref name="cache"/> (verified) are read from it.</summary>
    public static async Task<ImageLayers> FromRegistryAsync(RegistryClient client, Reference reference, Platform? platform, OciLayoutContent? cache = null, CancellationToken cancellationToken = default)
    {
        if (client is null)
        {
            throw new ArgumentNullException(nameof(client));
        }

        var document = await client.GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        if (document is ImageIndex index)
        {
            var entry = RegistryClient.SelectPlatform(index, platform ?? DefaultPlatform);
            document = await client.GetManifestAsync(reference.AtDigest(entry.Digest), cancellationToken).ConfigureAwait(false);
        }
        else if (platform is not null && document is ImageManifest single)
        {
            await client.CheckImagePlatformAsync(single, platform, cancellationToken).ConfigureAwait(false);
        }

        var manifest = document as ImageManifest
            ?? throw new ManifestFormatException($"{reference} is {document.MediaType}, not an image manifest");
        LayerSource source = new RegistryLayerSource(client, reference.RepositoryOnly());
        if (cache is not null)
        {
            source = new LayoutLayerSource(cache, source);
        }

        return new ImageLayers(manifest, manifest.Layers, reference.AtDigest(manifest.Digest).ToString(), source);
    }

    /// <summary>One layer blob of a repository, read on its own (a layer descriptor piped in), without its manifest.</summary>
    public static ImageLayers FromBlob(RegistryClient client, Reference repository, Descriptor layer) =>
        new(null, [layer], repository.AtDigest(layer.Digest).ToString(), new RegistryLayerSource(client, repository.RepositoryOnly()));

    /// <summary>Resolves a tag or digest inside a layout that <see cref="OciLayoutReader.Read"/> has read.</summary>
    public static ImageLayers FromLayout(OciLayoutContent layout, string tagOrDigest, Platform? platform)
    {
        if (layout is null)
        {
            throw new ArgumentNullException(nameof(layout));
        }

        Digest? digest = null;
        if (Digest.TryParse(tagOrDigest, out var parsed, out _))
        {
            digest = parsed;
        }
        else
        {
            var tag = tagOrDigest.Length == 0 ? "latest" : tagOrDigest;
            foreach (var pair in layout.Tags.Where(pair => pair.Key == tag))
            {
                digest = pair.Value;
            }

            if (digest is null)
            {
                var tags = layout.Tags.Count == 0 ? "none" : string.Join(", ", layout.Tags.Select(pair => pair.Key));
                throw new OciLayoutException(layout.Root, $"the layout has no tag '{tag}' (its tags: {tags})");
            }
        }

        var document = Find(layout, digest);
        if (document is ImageIndex index)
        {
            document = Find(layout, RegistryClient.SelectPlatform(index, platform ?? DefaultPlatform).Digest);
        }

        var manifest = document as ImageManifest
            ?? throw new OciLayoutException(layout.Root, $"{digest} is {document.MediaType}, not an image manifest");
        return new ImageLayers(manifest, manifest.Layers, $"{layout.Root}@{manifest.Digest}", new LayoutLayerSource(layout));
    }

    private static ManifestDocument Find(OciLayoutContent layout, Digest digest) =>
        layout.Manifests.FirstOrDefault(document => document.Digest == digest)
            ?? throw new OciLayoutException(layout.Root, $"the layout holds no manifest {digest}");
}
