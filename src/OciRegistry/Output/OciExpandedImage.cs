using OciRegistry.Core.Extraction;

namespace OciRegistry.Output;

/// <summary>What Expand-OciImage wrote.</summary>
public sealed class OciExpandedImage
{
    internal OciExpandedImage(ExpandedImage result, ImageLayers image)
    {
        Destination = result.Destination;
        Image = image.Name;
        Digest = image.Manifest?.Digest.ToString();
        Layers = result.Layers;
        Files = result.Files;
        Directories = result.Directories;
        Links = result.Links;
        Size = result.Size;
        Skipped = result.Skipped;
    }

    /// <summary>The folder the filesystem was written into.</summary>
    public string Destination { get; }

    /// <summary>The image, at its digest.</summary>
    public string Image { get; }

    /// <summary>The image manifest's digest.</summary>
    public string? Digest { get; }

    /// <summary>How many layers the image has.</summary>
    public int Layers { get; }

    /// <summary>Regular files written (hard links not counted).</summary>
    public int Files { get; }

    /// <summary>Folders written.</summary>
    public int Directories { get; }

    /// <summary>Symbolic and hard links written.</summary>
    public int Links { get; }

    /// <summary>Bytes of file content written.</summary>
    public long Size { get; }

    /// <summary>Entries passed over: devices, FIFOs, unsafe entries with -SkipUnsafeEntries, links not permitted.</summary>
    public int Skipped { get; }

    /// <inheritdoc/>
    public override string ToString() => Destination;
}
