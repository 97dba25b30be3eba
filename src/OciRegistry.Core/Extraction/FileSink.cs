using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// Where <see cref="ImageFileFinder"/> puts the files it finds: each is taken while its layer streams past and kept
/// aside until the layer has been verified whole; only then is it committed (moved to its final name, or handed
/// out), and it is discarded otherwise.
/// </summary>
public abstract class FileSink
{
    /// <summary>Takes the content of <paramref name="item"/>, to appear as <paramref name="outputPath"/> (relative, <c>/</c>-separated).</summary>
    public abstract Task<PendingFile> AcceptAsync(LayerItem item, string outputPath, Stream content, CancellationToken cancellationToken);

    /// <summary>Takes a second file with the content of one already taken (hard links to one file).</summary>
    public abstract Task<PendingFile> DuplicateAsync(PendingFile source, LayerItem item, string outputPath, CancellationToken cancellationToken);
}

/// <summary>A file taken by a <see cref="FileSink"/>, not yet committed.</summary>
public abstract class PendingFile
{
    /// <summary>Creates the pending file.</summary>
    protected PendingFile(LayerItem item, string outputPath)
    {
        Item = item;
        OutputPath = outputPath;
    }

    /// <summary>The entry the content came from (after links were followed).</summary>
    public LayerItem Item { get; }

    /// <summary>The relative path the file is given at the destination.</summary>
    public string OutputPath { get; }

    /// <summary>Makes the file final, once its layer has been verified.</summary>
    public abstract void Commit();

    /// <summary>Throws the file away.</summary>
    public abstract void Discard();
}
