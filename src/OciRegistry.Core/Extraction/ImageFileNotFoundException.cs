namespace OciRegistry.Core.Extraction;

/// <summary>A path asked of an image that its filesystem does not hold as a file (or a folder, when recursing).</summary>
public sealed class ImageFileNotFoundException : OciException
{
    /// <summary>Creates the exception; <paramref name="why"/> ends the sentence, e.g. "is not in the image".</summary>
    public ImageFileNotFoundException(string path, string image, string why)
        : base($"'{path}' {why} ({image})")
    {
        Path = path;
        Image = image;
    }

    /// <summary>The path as asked.</summary>
    public string Path { get; }

    /// <summary>The image, as messages name it.</summary>
    public string Image { get; }
}
