namespace OciRegistry.Core.Extraction;

/// <summary>The destination of an expansion holds something already, and merging into it was not asked for.</summary>
public sealed class DestinationNotEmptyException : OciException
{
    /// <summary>Creates the exception.</summary>
    public DestinationNotEmptyException(string destination, string what)
        : base($"'{destination}' {what}")
    {
        Destination = destination;
    }

    /// <summary>The destination's full path.</summary>
    public string Destination { get; }
}
