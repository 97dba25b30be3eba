using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.LocalFiles;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// Writes the filesystem an image's layers make into a folder, as a runtime would see it: layers applied base first,
/// whiteouts and opaque directories honoured, hard links as links, symbolic links as links, modes and times set.
/// </summary>
/// <remarks>
/// Everything is written into a fresh staging folder beside the destination, which only this command writes, and
/// which is moved into place once every layer has been read and verified; any failure deletes it. Inside it, every
/// path is checked against what this command itself has written (<see cref="StagingTree"/>): an entry below a
/// symbolic link an earlier entry planted is refused, never followed, and a hard link may only point at a file
/// already written here. Files are created with <c>O_CREAT | O_EXCL</c> and links never followed at the final
/// component, so even a staging folder tampered with by another process is not written through.
/// </remarks>
public sealed class ImageExpander
{
    private const int CopyBufferBytes = 256 * 1024;

    private readonly ImageLayers _image;
    private readonly ExtractionOptions _options;
    private readonly IProgress<TransferProgress>? _progress;

    /// <summary>Creates the expander.</summary>
    public ImageExpander(ImageLayers image, ExtractionOptions options, IProgress<TransferProgress>? progress = null)
    {
        _image = image ?? throw new ArgumentNullException(nameof(image));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _progress = progress;
    }

    /// <summary>
    /// Fails with <see cref="DestinationNotEmptyException"/> when <paramref name="destination"/> holds something and
    /// <paramref name="merge"/> is not set, or is not a folder: a check made before anything is downloaded.
    /// </summary>
    public static void CheckDestination(string destination, bool merge)
    {
        var status = RegularFile.GetStatus(destination);
        if (status.Kind == FileKind.Missing)
        {
            return;
        }

        if (!Directory.Exists(destination))
        {
            throw new DestinationNotEmptyException(destination, "exists and is not a folder");
        }

        if (!merge && Directory.EnumerateFileSystemEntries(destination).GetEnumerator().MoveNext())
        {
            throw new DestinationNotEmptyException(destination, "is not empty");
        }
    }

    /// <summary>
    /// Expands the image into <paramref name="destination"/> (created; with <paramref name="merge"/> an existing
    /// folder's entries are replaced by the image's where both have one).
    /// </summary>
    public async Task<ExpandedImage> ExpandAsync(string destination, bool merge, CancellationToken cancellationToken = default)
    {
        destination = Path.GetFullPath(destination);
        CheckDestination(destination, merge);
        var parent = Path.GetDirectoryName(destination.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
            ?? throw new ArgumentException("The destination cannot be the root of a drive.", nameof(destination));
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, "." + Path.GetFileName(destination.TrimEnd(Path.DirectorySeparatorChar)) + ".expanding-" + RandomSuffix());
        FileSystemEntry.CreateDirectory(staging);
        try
        {
            var result = new ExpandedImage(destination, _image.Layers.Count);
            var tree = new StagingTree(staging, _options, result);
            var budget = new ExpansionBudget(_options);
            for (var index = 0; index < _image.Layers.Count; index++)
            {
                if (LayerSkip.Skipped(_image, index, _options))
                {
                    continue;
                }

                await ApplyLayerAsync(tree, index, budget, cancellationToken).ConfigureAwait(false);
            }

            tree.SetDirectoryMetadata();
            Promote(staging, destination, merge);
            return result;
        }
        finally
        {
            FileSystemEntry.Delete(staging);
        }
    }

    private async Task ApplyLayerAsync(StagingTree tree, int index, ExpansionBudget budget, CancellationToken cancellationToken)
    {
        var descriptor = _image.Layers[index];
        using var layer = await OpenLayer.OpenAsync(_image, index, budget, _options, cancellationToken).ConfigureAwait(false);
        tree.BeginLayer(layer);
        var buffer = new byte[CopyBufferBytes];
        while (await layer.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
        {
            if (entry.Kind == LayerEntryKind.File && tree.Wants(entry))
            {
                if (tree.CreateFile(entry) is { } file)
                {
                    using (file)
                    {
                        await CopyAsync(layer.OpenData(), file, buffer, cancellationToken).ConfigureAwait(false);
                    }

                    tree.FinishFile(entry);
                }
            }
            else
            {
                tree.Apply(entry);
            }

            _progress?.Report(new TransferProgress(descriptor.Digest, TransferState.Downloading, layer.BytesRead, descriptor.Size, 0));
        }

        await layer.FinishAsync(cancellationToken).ConfigureAwait(false);
        tree.CountSkipped(layer.Skipped);
        _progress?.Report(new TransferProgress(descriptor.Digest, TransferState.Completed, descriptor.Size, descriptor.Size, 0));
    }

    private static async Task CopyAsync(Stream source, Stream target, byte[] buffer, CancellationToken cancellationToken)
    {
        int n;
        while ((n = await source.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await target.WriteAsync(buffer, 0, n, cancellationToken).ConfigureAwait(false);
        }
    }

    // The staging folder becomes the destination: by one rename when there is none (or an empty one), else merged
    // entry by entry, each existing entry examined without following links and replaced unless both are folders.
    private static void Promote(string staging, string destination, bool merge)
    {
        var status = RegularFile.GetStatus(destination);
        if (status.Kind == FileKind.Directory && !Directory.EnumerateFileSystemEntries(destination).GetEnumerator().MoveNext())
        {
            Directory.Delete(destination);
            status = FileStatus.Missing;
        }

        if (status.Kind == FileKind.Missing)
        {
            Directory.Move(staging, destination);
            return;
        }

        if (!merge)
        {
            throw new DestinationNotEmptyException(destination, "was filled by someone else while the image was expanded");
        }

        Merge(staging, destination);
    }

    private static void Merge(string source, string target)
    {
        foreach (var from in Directory.GetFileSystemEntries(source))
        {
            var to = Path.Combine(target, Path.GetFileName(from));
            var fromKind = RegularFile.GetStatus(from).Kind;
            var toKind = RegularFile.GetStatus(to).Kind;
            if (fromKind == FileKind.Directory && toKind == FileKind.Directory)
            {
                // The staging folder is emptied and deleted after: it may have the image's read-only mode by now.
                if (!IsWindows)
                {
                    FileSystemEntry.SetMode(from, 0x1C0);
                }

                Merge(from, to);
                continue;
            }

            FileSystemEntry.Delete(to);
            if (fromKind == FileKind.Directory)
            {
                Directory.Move(from, to);
            }
            else
            {
                File.Move(from, to);
            }
        }
    }

    private static bool IsWindows => System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);

    private static string RandomSuffix()
    {
        var bytes = new byte[6];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(bytes);
        }

        return BitConverter.ToString(bytes).Replace("-", string.Empty).ToLowerInvariant();
    }
}
