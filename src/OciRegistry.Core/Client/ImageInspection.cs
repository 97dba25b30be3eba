using OciRegistry.Core.Models;

namespace OciRegistry.Core.Client;

/// <summary>One image: its manifest and its parsed config, with the platform it was chosen for.</summary>
public sealed class ImageInspection
{
    internal ImageInspection(ImageManifest manifest, ImageConfigDocument config, Platform? platform)
    {
        Manifest = manifest;
        Config = config;
        Platform = platform;
    }

    /// <summary>The image manifest.</summary>
    public ImageManifest Manifest { get; }

    /// <summary>Its config, parsed.</summary>
    public ImageConfigDocument Config { get; }

    /// <summary>The index entry's platform when the image was chosen from an index, else the config's; may be null.</summary>
    public Platform? Platform { get; }
}
