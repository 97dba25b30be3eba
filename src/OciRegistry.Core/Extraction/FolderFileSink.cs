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

        CreateFolders(outputPath);
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

    // Each folder between the root and the file is made here, never through a link: one already there must be a
    // real folder (a link planted by an earlier extraction into the same place is refused, not followed).
    private void CreateFolders(string outputPath)
    {
        Directory.CreateDirectory(_root);
        var folder = _root;
        var parts = outputPath.Split('/');
        for (var i = 0; i < parts.Length - 1; i++)
        {
            folder = Path.Combine(folder, parts[i]);
            switch (RegularFile.GetStatus(folder).Kind)
            {
                case FileKind.Missing:
                    FileSystemEntry.CreateDirectory(folder);
                    if (!IsWindows)
                    {
                        FileSystemEntry.SetMode(folder, 0x1ED);
                    }

                    break;
                case FileKind.Directory:
                    break;
                default:
                    throw new DestinationNotEmptyException(folder, "is a link or a file where a folder should be; it was left as it is");
            }
        }
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
            var existing = RegularFile.GetStatus(FullName).Kind;
            if (existing == FileKind.Directory)
            {
                Discard();
                throw new DestinationNotEmptyException(FullName, "is a folder; it was left as it is");
            }

            if (existing != FileKind.Missing)
            {
                FileSystemEntry.Delete(FullName);
            }

            File.Move(_partial, FullName);
        }

        /// <inheritdoc/>
        public override void Discard() => FileSystemEntry.Delete(_partial);
    }
}
