using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Completion;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Get-OciImageConfig: the config of an image (its user, entrypoint, environment, labels, history) as an object,
/// read from the config blob, capped and verified against its digest.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Get-OciImageConfig.md</c>.</remarks>
[Cmdlet(VerbsCommon.Get, "OciImageConfig")]
[OutputType(typeof(OciImageConfig))]
public sealed class GetOciImageConfigCommand : RegistryCmdlet
{
    /// <summary>
    /// The image: <c>[registry[:port]/]repository[:tag][@digest]</c>. A piped OciManifest, index entry or tag binds
    /// by its Reference property.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReferenceCompleter))]
    public string Reference { get; set; } = string.Empty;

    /// <summary>Resolves an index to this platform's image, e.g. <c>linux/arm64</c>; a single image must be built for it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    public string? Platform { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ManifestQuery.TryParse(this, Reference, Platform) is not { } query)
        {
            return;
        }

        var target = Reference;
        RunAsync(ct => ReadAsync(query.Reference, query.Platform, target, ct));
    }

    private async Task ReadAsync(Reference reference, Platform? platform, string target, CancellationToken cancellationToken)
    {
        try
        {
            var image = await ClientFor(reference.Registry).InspectImageAsync(reference, platform, cancellationToken).ConfigureAwait(false);
            QueueVerbose($"Read the config {image.Manifest.Config.Digest} of {image.Manifest.Digest}: {Size.Format(image.Manifest.Config.Size)}, verified.");
            QueueObject(new OciImageConfig(image.Manifest, image.Config));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            QueueFailure(e, target, ErrorSubject.Manifest);
        }
    }
}
