namespace OciRegistry.Core.Extraction;

/// <summary>What <see cref="ImageExpander"/> wrote.</summary>
public sealed class ExpandedImage
{
    internal ExpandedImage(string destination, int layers)
    {
        Destination = destination;
        Layers = layers;
    }

    /// <summary>The destination folder's full path.</summary>
    public string Destination { get; }

    /// <summary>How many layers were applied.</summary>
    public int Layers { get; }

    /// <summary>Regular files written (hard links not counted).</summary>
    public int Files { get; internal set; }

    /// <summary>Directories written.</summary>
    public int Directories { get; internal set; }

    /// <summary>Symbolic and hard links written.</summary>
    public int Links { get; internal set; }

    /// <summary>Bytes of file content written.</summary>
    public long Size { get; internal set; }

    /// <summary>Entries passed over: devices, FIFOs, unsafe entries when skipping, links the system did not allow.</summary>
    public int Skipped { get; internal set; }
}
