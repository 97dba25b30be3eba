using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Core.Transfer;
using OciRegistry.Completion;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Save-OciBlob: downloads blobs to disk, verified against their digests, resuming interrupted transfers.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Save-OciBlob.md</c>.</remarks>
[Cmdlet(VerbsData.Save, "OciBlob", SupportsShouldProcess = true, DefaultParameterSetName = ByManifest)]
[OutputType(typeof(FileInfo))]
public sealed class SaveOciBlobCommand : RegistryCmdlet
{
    private const string ByBlob = "Blob";
    private const string ByManifest = "Manifest";
    private const string ByIndex = "Index";

    // Keyed by TargetKey: two names that one case-insensitive or normalising file system (Windows, macOS, SMB)
    // would take for one file are one target here, on every system.
    private readonly Dictionary<string, Digest> _targets = new(FileNameKey.Comparer);
    private SemaphoreSlim? _throttle;
    private int _nextActivity = 1;
    private readonly OutputOrder _order = new();

    // With -OutFile, the one blob waits for the end of the input: a second one refuses both before any request.
    private readonly HashSet<Digest> _pathBlobs = [];
    private Action? _pathStart;
    private bool _pathRefused;

    /// <summary>A manifest from Get-OciManifest: its config and layers are saved.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByManifest)]
    public OciManifest? Manifest { get; set; }

    /// <summary>
    /// An index piped in: refused with a clear error, since an index has no layers of its own (pick a platform
    /// with <c>Get-OciManifest -Platform</c>, or use Save-OciImage). Without this, binding by property name would
    /// save the index document itself as a blob.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByIndex, DontShow = true)]
    public OciIndex? Index { get; set; }

    /// <summary>The repository (<c>registry/repository</c>), or <c>registry/repository@digest</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByBlob)]
    [ArgumentCompleter(typeof(RepositoryCompleter))]
    [ValidateNotNullOrEmpty]
    public string Reference { get; set; } = string.Empty;

    /// <summary>The blob's digest; may instead be part of <c>-Reference</c>.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByBlob)]
    public string? Digest { get; set; }

    /// <summary>The blob's size; asked of the registry when not given.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByBlob)]
    [ValidateRange(0, long.MaxValue)]
    public long? Size { get; set; }

    /// <summary>The blob's title annotation (a file name), used with <c>-UseTitle</c>.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByBlob)]
    public string? Title { get; set; }

    /// <summary>
    /// A piped descriptor's media type: reported on the output, and checked, so that a manifest or index is not
    /// fetched as a blob. Hidden: given by hand it could only be wrong.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByBlob, DontShow = true)]
    public string? MediaType { get; set; }

    /// <summary>The folder to save into (default: the current location); files are named <c>sha256-&lt;hex&gt;</c>.</summary>
    [Parameter(Position = 1, ParameterSetName = ByBlob)]
    [Parameter(ParameterSetName = ByManifest)]
    [Parameter(ParameterSetName = ByIndex)]
    public string? Destination { get; set; }

    /// <summary>
    /// One file to save a single blob to, instead of <c>-Destination</c>; an existing folder is saved into, as
    /// Invoke-WebRequest does with <c>-OutFile</c>.
    /// </summary>
    [Parameter]
    public string? OutFile { get; set; }

    /// <summary>The old name of <c>-OutFile</c>: still works for this release, with a warning.</summary>
    [Parameter(DontShow = true)]
    public string? Path { get; set; }

    /// <summary>Adds the extension the media type implies (<c>.tar.gz</c>, <c>.json</c>) to files named after their digest.</summary>
    [Parameter]
    public SwitchParameter AddExtension { get; set; }

    /// <summary>Names files after their <c>org.opencontainers.image.title</c> annotation; unsafe titles are refused.</summary>
    [Parameter]
    public SwitchParameter UseTitle { get; set; }

    /// <summary>Replaces an existing file with different content.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>How many blobs download at once.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    /// <summary>
    /// How many connections fetch parts of one blob at once, for a registry or CDN that limits each connection
    /// (1, the default: one connection per blob). Only blobs of 2 MiB and more are split, and only when the
    /// registry answers a ranged request with 206.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 16)]
    public int ParallelRange { get; set; } = 1;

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _throttle = new SemaphoreSlim(ThrottleLimit, ThrottleLimit);
        if (Path is not null)
        {
            if (OutFile is not null)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Path is the old name of -OutFile: give one of them."), ErrorIds.PathAndDestination, ErrorCategory.InvalidArgument, Path));
            }

            WriteWarning("Save-OciBlob -Path is now -OutFile, as on Invoke-WebRequest; -Path will be removed in a later release.");
            OutFile = Path;
        }

        if (OutFile is not null && Destination is not null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Give -OutFile (one file) or -Destination (a folder), not both."), ErrorIds.PathAndDestination, ErrorCategory.InvalidArgument, OutFile));
        }
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ParameterSetName == ByIndex)
        {
            WriteError(new ErrorRecord(
                new ArgumentException($"{Index!.Reference} is an index of {Index.Manifests.Length} manifests, not one image: pick one with Get-OciManifest -Platform, or save them all with Save-OciImage."),
                ErrorIds.IndexNeedsPlatform,
                ErrorCategory.InvalidArgument,
                Index.Reference) { ErrorDetails = new ErrorDetails($"{Index.Reference} is an index, not one image.") { RecommendedAction = $"Get-OciManifest {Index.Reference} -Platform {Index.Platforms.FirstOrDefault() ?? "linux/amd64"} | Save-OciBlob …" } });
            return;
        }

        // Every blob of the record is named and checked against every other target before the first one starts.
        var planned = new List<Action>();
        if (ParameterSetName == ByManifest && OutFile is not null &&
            new[] { Manifest!.Config }.Concat(Manifest.Layers).Select(b => b.Digest).Distinct().Count() > 1)
        {
            RefusePath($"{Manifest.Reference} has {Manifest.Layers.Length + 1} blobs (the config and {Manifest.Layers.Length} layer(s))");
            return;
        }

        if (ParameterSetName == ByManifest)
        {
            foreach (var blob in new[] { Manifest!.Config }.Concat(Manifest.Layers))
            {
                planned.Add(Plan(Manifest.Reference, blob.Digest, blob.Size, blob.Title, blob.MediaType));
            }
        }
        else
        {
            planned.Add(Plan(Reference, Digest, Size, Title, MediaType));
        }

        foreach (var start in planned)
        {
            start();
        }

        WriteQueued();
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (!_pathRefused)
        {
            _pathStart?.Invoke();
        }

        WaitForAll();
    }

    private void RefusePath(string what)
    {
        _pathStart = null;
        _pathRefused = true;
        WriteError(new ErrorRecord(
            new ArgumentException($"-OutFile names one file, but {what}; nothing was saved. Use -Destination for a folder."),
            ErrorIds.PathNeedsOneBlob,
            ErrorCategory.InvalidArgument,
            OutFile) { ErrorDetails = new ErrorDetails($"-OutFile names one file, but {what}; nothing was saved.") { RecommendedAction = "Save into a folder with -Destination, or pick one blob (for example $manifest.Layers[0] | Save-OciBlob -OutFile …)." } });
    }

    /// <summary>Names and checks one blob's target, reserving it; returns what starts its download (nothing when refused).</summary>
    private Action Plan(string reference, string? digestText, long? size, string? title, string? mediaType)
    {
        static void Nothing()
        {
        }

        if (!BlobTarget.TryResolve(reference, digestText, out var repository, out var digest, out var error, mediaType))
        {
            WriteError(error!);
            return Nothing;
        }

        string file;
        try
        {
            file = TargetFor(digest, title, mediaType);
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, ErrorIds.UnsafeTitle, ErrorCategory.InvalidArgument, title) { ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = "Save without -UseTitle; the file is then named after its digest." } });
            return Nothing;
        }

        if (OutFile is not null)
        {
            _pathBlobs.Add(digest);
            if (_pathRefused || _pathBlobs.Count > 1)
            {
                if (!_pathRefused)
                {
                    RefusePath("more than one blob came in");
                }

                return Nothing;
            }
        }

        if (_targets.TryGetValue(TargetKey(file), out var earlier))
        {
            if (earlier != digest)
            {
                // Two blobs, one name (duplicate titles): saving the second would silently drop one of them.
                WriteError(new ErrorRecord(
                    new ArgumentException($"{digest} would be saved as '{file}', where {earlier} is already going."),
                    ErrorIds.TargetConflict,
                    ErrorCategory.ResourceExists,
                    digest.ToString()) { ErrorDetails = new ErrorDetails($"{digest} and {earlier} would both be saved as '{file}'.") { RecommendedAction = "Save without -UseTitle, or into separate folders." } });
            }

            return Nothing;
        }

        _targets[TargetKey(file)] = digest;

        var sizeText = size is null ? string.Empty : $" ({Hosting.Size.Format(size.Value)})";
        if (!ShouldProcess(file, $"Save {digest}{sizeText}"))
        {
            return Nothing;
        }

        void StartSaving()
        {
            var activity = _nextActivity++;
            var style = Progress();
            var slot = _order.Reserve();
            Start(ct => SaveAsync(repository, digest, size, mediaType, file, activity, style, slot, reference, ct));
        }

        if (OutFile is not null)
        {
            _pathStart = StartSaving;
            return Nothing;
        }

        return StartSaving;
    }

    /// <summary>
    /// The name under which a target is reserved: Unicode composed form, compared ignoring case, so that titles a
    /// case-insensitive or normalising file system would map to one file (<c>Notes.txt</c>, <c>notes.TXT</c>) conflict.
    /// Working names need no entry: no title may end with their suffixes (SafeFileName), so a working name is never
    /// another blob's target, and two targets' working names differ when the targets do.
    /// </summary>
    private static string TargetKey(string file) => FileNameKey.Of(file);

    private async Task SaveAsync(Reference repository, Digest digest, long? size, string? mediaType, string file, int activity, ProgressStyle style, int slot, object target, CancellationToken cancellationToken)
    {
        System.Management.Automation.PSObject? saved = null;
        try
        {
            await _throttle!.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _order.Complete(slot, null, QueueObject);
            throw;
        }

        try
        {
            var client = ClientFor(repository.Registry);
            var known = size ?? await client.GetBlobSizeAsync(repository, digest, cancellationToken).ConfigureAwait(false)
                ?? throw new Core.OciException($"the registry did not say how large {digest} is; pass -Size");
            var activityText = $"Saving {digest.Encoded.Substring(0, 12)} to {System.IO.Path.GetFileName(file)}";
            IProgress<TransferProgress>? progress = style switch
            {
                ProgressStyle.Bars => new CallbackProgress<TransferProgress>(new TransferProgressView(activity, -1, activityText, QueueProgress).Report),
                ProgressStyle.Lines => new CallbackProgress<TransferProgress>(new TransferLogView(activityText, QueueProgressLine).Report),
                _ => null,
            };
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            var result = await new BlobDownloader(client) { ParallelRanges = ParallelRange }.DownloadAsync(repository, digest, known, file, Force.IsPresent, progress, cancellationToken).ConfigureAwait(false);
            QueueVerbose(result.AlreadyPresent
                ? $"{digest} is already at {file} (verified)"
                : $"Saved {digest} to {file}: {Hosting.Size.Format(result.Size)} in {result.Elapsed.TotalSeconds:0.00} s, {result.Attempts} connection(s)" +
                  (result.Ranges > 1 ? $", {result.Ranges} parts at once" : string.Empty) +
                  (result.Resumed ? $", resumed from byte {result.ResumedFrom}" : string.Empty));
            saved = SavedBlob.From(result, mediaType);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            QueueFailure(e, target, ErrorSubject.Blob);
        }
        finally
        {
            _throttle.Release();
            _order.Complete(slot, saved, QueueObject);
        }
    }

    private string TargetFor(Digest digest, string? title, string? mediaType)
    {
        string folder;
        if (OutFile is not null)
        {
            // A folder given as -OutFile is saved into, as Invoke-WebRequest -OutFile <folder> does.
            folder = GetUnresolvedProviderPathFromPSPath(OutFile);
            if (!Directory.Exists(folder))
            {
                return folder;
            }
        }
        else
        {
            folder = GetUnresolvedProviderPathFromPSPath(Destination ?? ".");
        }

        var name = digest.FileName;
        if (AddExtension.IsPresent)
        {
            // Only known extensions, never text from the media type itself: a hostile type cannot name a path.
            var extension = MediaTypeExtension.For(mediaType);
            if (extension.Length == 0)
            {
                WriteVerbose($"{digest} has {(mediaType is null ? "no media type" : "the media type " + mediaType)}, which implies no extension; saving it as {name}.");
            }

            name += extension;
        }

        if (UseTitle.IsPresent)
        {
            if (title is null)
            {
                WriteVerbose($"{digest} has no title annotation; saving it as {name}.");
            }
            else if (SafeFileName.Problem(title) is { } problem)
            {
                throw new ArgumentException($"Refusing the title '{title}' of {digest}: {problem}.");
            }
            else
            {
                name = title;
            }
        }

        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, name));
        var root = System.IO.Path.GetFullPath(folder).TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
        return full.StartsWith(root, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"Refusing to write {digest} outside {folder}.");
    }


    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _throttle?.Dispose();
        }

        base.Dispose(disposing);
    }

}
