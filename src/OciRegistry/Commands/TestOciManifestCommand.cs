using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Completion;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Hosting;

namespace OciRegistry.Commands;

/// <summary>
/// Test-OciManifest: whether a registry has a manifest or index (and, with -Platform, an image for that platform),
/// as $true or $false, from one HEAD where the registry allows it.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Test-OciManifest.md</c>.</remarks>
[Cmdlet(VerbsDiagnostic.Test, "OciManifest")]
[OutputType(typeof(bool))]
public sealed class TestOciManifestCommand : RegistryCmdlet
{
    /// <summary>The reference: <c>[registry[:port]/]repository[:tag][@digest]</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReferenceCompleter))]
    public string Reference { get; set; } = string.Empty;

    /// <summary>The platform an index must list (or a single image be built for), e.g. <c>linux/arm64</c>.</summary>
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
        RunAsync(ct => TestAsync(query.Reference, query.Platform, target, ct));
    }

    private async Task TestAsync(Reference reference, Platform? platform, string target, CancellationToken cancellationToken)
    {
        try
        {
            var exists = await ClientFor(reference.Registry).ManifestExistsAsync(reference, platform, cancellationToken).ConfigureAwait(false);
            QueueObject(exists);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            QueueFailure(e, target, ErrorSubject.Manifest);
        }
    }
}
