using OciRegistry.Core.Archive;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// Non-distributable ("foreign") layers that name where to fetch them (<c>urls</c>) are not in the registry: Windows
/// base layers, mostly. They are passed over with a warning, as containerd does when it is not told to fetch them.
/// https://github.com/opencontainers/image-spec/blob/main/layer.md#non-distributable-layers.
/// </summary>
internal static class LayerSkip
{
    public static bool Skipped(ImageLayers image, int index, ExtractionOptions options)
    {
        var descriptor = image.Layers[index];
        if (LayerMediaType.Classify(descriptor.MediaType) != LayerMediaKind.NonDistributable || descriptor.Urls.Count == 0)
        {
            return false;
        }

        options.Warn($"Skipped layer {new LayerName(index, descriptor.Digest)}: it is non-distributable ({descriptor.MediaType}) and lives at {descriptor.Urls[0]}, not in the registry.");
        return true;
    }
}
