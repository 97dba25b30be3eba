using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Core.Transfer;
using OciRegistry.Completion;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Save-OciImage: saves an image, or an index with all or one of its platforms, into an OCI image layout folder.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Save-OciImage.md</c>.</remarks>
[Cmdlet(VerbsData.Save, "OciImage", SupportsShouldProcess = true)]
[OutputType(typeof(OciSavedImage))]
public sealed class SaveOciImageCommand : RegistryCmdlet
{
    private const int ParentActivity = 1;

    /// <summary>The image reference: <c>[registry[:port]/]repository[:tag][@digest]</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReferenceCompleter))]
    public string Reference { get; set; } = string.Empty;

    /// <summary>
    /// The layout folder; created if needed, shared with other images already in it. <c>-Destination</c> names it
    /// too, as on Save-OciBlob.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Destination")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Saves only this platform's manifest of an index, e.g. <c>linux/amd64</c>; without it, every platform.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    public string? Platform { get; set; }

    /// <summary>Also saves the signatures, SBOMs and attestations that refer to the image, for an air-gapped copy.</summary>
    [Parameter]
    public SwitchParameter IncludeReferrers { get; set; }

    /// <summary>How many blobs download at once.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        Reference reference;
        Platform? platform;
        try
        {
            reference = Core.References.Reference.Parse(Reference);
            platform = Platform is null ? null : Core.Models.Platform.Parse(Platform);
        }
        catch (Exception e) when (e is InvalidReferenceException or InvalidPlatformException)
        {
            WriteError(ErrorMapping.ToErrorRecord(e, Reference, ErrorSubject.Manifest));
            return;
        }

        var layout = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(layout, $"Save {reference}{(platform is null ? string.Empty : " for " + platform)}"))
        {
            return;
        }

        var views = new ConcurrentDictionary<Digest, TransferProgressView>();
        var next = ParentActivity;
        var style = Progress();
        var showProgress = style == ProgressStyle.Bars;
        var lines = new ConcurrentDictionary<Digest, TransferLogView>();
        RunAsync(async ct =>
        {
            try
            {
                IProgress<TransferProgress>? progress = style switch
                {
                    ProgressStyle.Bars => new CallbackProgress<TransferProgress>(p => views.GetOrAdd(p.Digest, d => new TransferProgressView(Interlocked.Increment(ref next), ParentActivity, $"Blob {d.Encoded.Substring(0, 12)}", QueueProgress)).Report(p)),
                    ProgressStyle.Lines => new CallbackProgress<TransferProgress>(p => lines.GetOrAdd(p.Digest, d => new TransferLogView($"Blob {d.Encoded.Substring(0, 12)} of {reference}", QueueProgressLine)).Report(p)),
                    _ => null,
                };
                if (showProgress)
                {
                    QueueProgress(new ProgressRecord(ParentActivity, $"Saving {reference}", $"into {layout}"));
                }

                var result = await new ImageDownloader(ClientFor(reference.Registry)).SaveAsync(reference, layout, platform, ThrottleLimit, IncludeReferrers, progress, ct).ConfigureAwait(false);
                if (showProgress)
                {
                    QueueProgress(new ProgressRecord(ParentActivity, $"Saving {reference}", "done") { RecordType = ProgressRecordType.Completed });
                }

                if (style == ProgressStyle.Lines && (TransferLogView.Covers(result.BytesDownloaded) || result.Elapsed >= TimeSpan.FromSeconds(10)))
                {
                    QueueProgressLine($"{reference}: saved {Count(result.Manifests, "manifest")} and {Count(result.Blobs, "blob")} ({result.BlobsReused} already there), " +
                                      $"{Size.Format(result.BytesDownloaded)} in {result.Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} s");
                }

                QueueVerbose($"Saved {reference} to {layout}: {result.Manifests} manifest(s), {result.Blobs} blob(s) ({result.BlobsReused} already there), {Size.Format(result.BytesDownloaded)} downloaded in {result.Elapsed.TotalSeconds:0.00} s");
                QueueObject(new OciSavedImage(result, reference));
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                QueueFailure(e, Reference, ErrorSubject.Manifest);
            }
        });
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
