using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Completion;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Compare-OciImage: what two images differ in (layers by digest, config fields, total size), as objects that read
/// like Compare-Object's; two indexes platform by platform.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Compare-OciImage.md</c>.</remarks>
[Cmdlet(VerbsData.Compare, "OciImage")]
[OutputType(typeof(OciImageDifference))]
public sealed class CompareOciImageCommand : RegistryCmdlet
{
    /// <summary>The image compared against: <c>[registry[:port]/]repository[:tag][@digest]</c>.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReferenceCompleter))]
    public string ReferenceObject { get; set; } = string.Empty;

    /// <summary>The image compared with it; piped objects bind by their Reference property.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Reference")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReferenceCompleter))]
    public string DifferenceObject { get; set; } = string.Empty;

    /// <summary>Compares this platform's image of each side, e.g. <c>linux/amd64</c>; without it two indexes compare platform by platform.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    public string? Platform { get; set; }

    /// <summary>Lists what is the same on both sides too, with SideIndicator <c>==</c>.</summary>
    [Parameter]
    public SwitchParameter IncludeEqual { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ManifestQuery.TryParse(this, ReferenceObject, Platform) is not { } left ||
            ManifestQuery.TryParse(this, DifferenceObject, Platform) is not { } right)
        {
            return;
        }

        var (leftText, rightText) = (ReferenceObject, DifferenceObject);
        RunAsync(ct => CompareAsync(left.Reference, leftText, right.Reference, rightText, left.Platform, ct));
    }

    private async Task CompareAsync(Reference left, string leftText, Reference right, string rightText, Platform? platform, CancellationToken cancellationToken)
    {
        if (await FetchAsync(left, leftText, cancellationToken).ConfigureAwait(false) is not { } a ||
            await FetchAsync(right, rightText, cancellationToken).ConfigureAwait(false) is not { } b)
        {
            return;
        }

        if (platform is null && a is ImageIndex indexA && b is ImageIndex indexB)
        {
            foreach (var (key, entryA, entryB) in ImageComparison.PairPlatforms(indexA, indexB))
            {
                if (entryA is null || entryB is null)
                {
                    QueueObject(new OciImageDifference(ImageComparison.OneSidedPlatform(key, entryA, entryB), key));
                    continue;
                }

                await CompareImagesAsync(left.AtDigest(entryA.Digest), leftText, right.AtDigest(entryB.Digest), rightText, null, key, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        // With -Platform the label is the platform chosen (linux/arm64/v8 for linux/arm64), set once the image is read.
        await CompareImagesAsync(a, leftText, b, rightText, platform, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task CompareImagesAsync(object left, string leftText, object right, string rightText, Platform? platform, string? label, CancellationToken cancellationToken)
    {
        if (await InspectAsync(left, leftText, platform, cancellationToken).ConfigureAwait(false) is not { } a ||
            await InspectAsync(right, rightText, platform, cancellationToken).ConfigureAwait(false) is not { } b)
        {
            return;
        }

        foreach (var difference in ImageComparison.Compare((a.Manifest, a.Config), (b.Manifest, b.Config), IncludeEqual.IsPresent))
        {
            QueueObject(new OciImageDifference(difference, label ?? (platform is null ? null : (a.Platform ?? platform).ToString())));
        }
    }

    private async Task<ManifestDocument?> FetchAsync(Reference reference, string target, CancellationToken cancellationToken)
    {
        try
        {
            return await ClientFor(reference.Registry).GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            QueueFailure(e, target, ErrorSubject.Manifest);
            return null;
        }
    }

    // An image given as a document already fetched, or as the reference of an index entry.
    private async Task<ImageInspection?> InspectAsync(object image, string target, Platform? platform, CancellationToken cancellationToken)
    {
        try
        {
            return image switch
            {
                ManifestDocument document => await ClientFor(document.Source!.Registry).InspectImageAsync(document, platform, cancellationToken).ConfigureAwait(false),
                Reference reference => await ClientFor(reference.Registry).InspectImageAsync(reference, platform, cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentException("Not an image.", nameof(image)),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            QueueFailure(e, target, ErrorSubject.Manifest);
            return null;
        }
    }
}
