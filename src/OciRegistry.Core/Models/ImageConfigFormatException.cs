namespace OciRegistry.Core.Models;

/// <summary>An image config that is not JSON, not an object, or has a field of the wrong JSON type.</summary>
public sealed class ImageConfigFormatException : OciException
{
    /// <summary>Creates the exception.</summary>
    public ImageConfigFormatException(string message, System.Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
