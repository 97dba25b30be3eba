namespace OciRegistry.Core.Models;

/// <summary>A manifest or index that is not valid JSON, lacks required fields, or has a media type we do not support.</summary>
public sealed class ManifestFormatException : OciException
{
    /// <summary>Creates the exception.</summary>
    public ManifestFormatException(string message, bool unsupportedMediaType = false, System.Exception? innerException = null)
        : base(message, innerException)
    {
        IsUnsupportedMediaType = unsupportedMediaType;
    }

    /// <summary>True when the content is well formed but of a media type we refuse (Docker schema 1, unknown types).</summary>
    public bool IsUnsupportedMediaType { get; }
}
