using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Completion;
using OciRegistry.Core.Extraction;
using OciRegistry.Core.Layout;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Hosting;

namespace OciRegistry.Commands;

/// <summary>
/// The base of the cmdlets that read an image's layers as files (Get-OciLayerItem, Get-OciImageFile,
/// Expand-OciImage): the image from a registry or from a local layout (<c>-LayoutPath</c>), a layout used as a
/// verified cache (<c>-Cache</c>), the bound on the work (<c>-MaximumSize</c>) and what unsafe entries do.
/// </summary>
public abstract class ImageFilesCmdlet : RegistryCmdlet
{
    private protected const string RegistrySet = "Registry";
    private protected const string LayoutSet = "Layout";

    /// <summary>
    /// The image: <c>[registry[:port]/]repository[:tag][@digest]</c>; with -LayoutPath, a tag or digest in the
    /// layout. A piped OciManifest or tag binds by its Reference property.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = RegistrySet)]
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = LayoutSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReferenceCompleter))]
    public string Reference { get; set; } = string.Empty;

    /// <summary>The platform of an index, e.g. <c>linux/arm64</c>; without it, Linux on this machine's architecture.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    public string? Platform { get; set; }

    /// <summary>Reads the image from this OCI layout folder (Save-OciImage writes one) instead of a registry.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LayoutSet)]
    [ValidateNotNullOrEmpty]
    public string? LayoutPath { get; set; }

    /// <summary>An OCI layout whose blobs are used (once verified) instead of downloading them again.</summary>
    [Parameter(ParameterSetName = RegistrySet)]
    [ValidateNotNullOrEmpty]
    public string? Cache { get; set; }

    /// <summary>Skips entries that would be written outside the destination or through a link, with a warning, instead of failing.</summary>
    [Parameter]
    public SwitchParameter SkipUnsafeEntries { get; set; }

    /// <summary>The most bytes the layers may expand to (tar headers included); 16 GiB unless given.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long MaximumSize { get; set; } = ExtractionOptions.DefaultMaximumSize;

    /// <summary>The reference as messages and errors name the input.</summary>
    private protected string Target => LayoutPath is null ? Reference : $"{LayoutPath}:{Reference}";

    /// <summary>The options for this run, with warnings queued to the host.</summary>
    private protected ExtractionOptions Options() => new()
    {
        MaximumSize = MaximumSize,
        SkipUnsafeEntries = SkipUnsafeEntries,
        Warning = QueueWarning,
    };

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        Reference? reference = null;
        Platform? platform;
        try
        {
            if (LayoutPath is null)
            {
                reference = Core.References.Reference.Parse(Reference);
            }

            platform = string.IsNullOrEmpty(Platform) ? null : Core.Models.Platform.Parse(Platform!);
        }
        catch (Exception e) when (e is InvalidReferenceException or InvalidPlatformException)
        {
            WriteError(ErrorMapping.ToErrorRecord(e, Reference, ErrorSubject.Manifest));
            return;
        }

        if (!Prepare())
        {
            return;
        }

        var layout = LayoutPath is null ? null : GetUnresolvedProviderPathFromPSPath(LayoutPath);
        var cache = Cache is null ? null : GetUnresolvedProviderPathFromPSPath(Cache);
        var target = Target;
        RunAsync(async ct =>
        {
            try
            {
                var image = layout is not null
                    ? ImageLayers.FromLayout(OciLayoutReader.Read(layout), Reference, platform)
                    : await ImageLayers.FromRegistryAsync(ClientFor(reference!.Registry), reference, platform, cache is null ? null : OciLayoutReader.Read(cache), ct).ConfigureAwait(false);
                QueueVerbose($"{image.Name}: {image.Layers.Count} layer(s), {Size.Format(Sum(image))} compressed.");
                await RunAsync(image, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                QueueFailure(e, target, ErrorSubject.Manifest);
            }
        });
    }

    /// <summary>Checks and asks (ShouldProcess) before any request; false to do nothing for this input.</summary>
    private protected virtual bool Prepare() => true;

    /// <summary>Does the cmdlet's work on the resolved image.</summary>
    private protected abstract Task RunAsync(ImageLayers image, CancellationToken cancellationToken);

    private static long Sum(ImageLayers image)
    {
        long total = 0;
        foreach (var layer in image.Layers)
        {
            total += layer.Size;
        }

        return total;
    }
}
