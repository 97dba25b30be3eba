using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.LocalFiles;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// Files written under a folder: each to a hidden partial file beside its final name (created exclusively, never
/// through a link), renamed into place on commit. An existing file is replaced only when allowed, and never
/// followed if it is a link.
/// </summary>
public sealed class FolderFileSink : FileSink
{
    private readonly string _root;
    private readonly bool _overwrite;

    /// <summary>Creates the sink; <paramref name="overwrite"/> lets it replace existing files.</summary>
    public FolderFileSink(string root, bool overwrite)
    {
        _root = Path.GetFullPath(root);
        _overwrite = overwrite;
    }

    /// <inheritdoc/>
    public override async Task<PendingFile> AcceptAsync(LayerItem item, string outputPath, Stream content, CancellationToken cancellationToken)
    {
        var final = Path.Combine(_root, outputPath.Replace('/', Path.DirectorySeparatorChar));
        if (!_overwrite && RegularFile.GetStatus(final).Kind != FileKind.Missing)
        {
            throw new DestinationNotEmptyException(final, "already exists and was left as it is");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        var partial = Path.Combine(Path.GetDirectoryName(final)!, "." + Path.GetFileName(final) + ".partial-" + Guid.NewGuid().ToString("N").Substring(0, 12));
        try
        {
            using (var file = RegularFile.OpenWrite(partial, FileMode.CreateNew))
            {
                await content.CopyToAsync(file, 256 * 1024, cancellationToken).ConfigureAwait(false);
            }

            if (!IsWindows)
            {
                FileSystemEntry.SetMode(partial, item.Mode & 0x1FF);
            }

            FileSystemEntry.SetModifiedTime(partial, item.ModifiedTime);
        }
        catch
        {
            FileSystemEntry.Delete(partial);
            throw;
        }

        return new OnDisk(item, outputPath, partial, final);
    }

    /// <inheritdoc/>
    public override async Task<PendingFile> DuplicateAsync(PendingFile source, LayerItem item, string outputPath, CancellationToken cancellationToken)
    {
        using var content = RegularFile.OpenRead(((OnDisk)source).PartialPath);
        return await AcceptAsync(item, outputPath, content, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsWindows => System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);

    /// <summary>A file written beside its final name.</summary>
    public sealed class OnDisk : PendingFile
    {
        private readonly string _partial;

        internal OnDisk(LayerItem item, string outputPath, string partial, string final)
            : base(item, outputPath)
        {
            _partial = partial;
            FullName = final;
        }

        internal string PartialPath => _partial;

        /// <summary>The final full path.</summary>
        public string FullName { get; }

        /// <inheritdoc/>
        public override void Commit()
        {
            if (RegularFile.GetStatus(FullName).Kind != FileKind.Missing)
            {
                FileSystemEntry.Delete(FullName);
            }

            File.Move(_partial, FullName);
        }

        /// <inheritdoc/>
        public override void Discard() => FileSystemEntry.Delete(_partial);
    }
}
