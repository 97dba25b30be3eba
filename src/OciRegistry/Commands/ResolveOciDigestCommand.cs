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
/// Resolve-OciDigest: the digest a tag (or, with -Platform, a platform of an index) names, from one HEAD where the
/// registry allows it, with the reference pinned to that digest.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Resolve-OciDigest.md</c>.</remarks>
[Cmdlet(VerbsDiagnostic.Resolve, "OciDigest")]
[OutputType(typeof(OciResolvedDigest))]
public sealed class ResolveOciDigestCommand : RegistryCmdlet
{
    /// <summary>The reference: <c>[registry[:port]/]repository[:tag][@digest]</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReferenceCompleter))]
    public string Reference { get; set; } = string.Empty;

    /// <summary>Resolves to the digest of this platform's entry in the index, e.g. <c>linux/arm64</c>.</summary>
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
        RunAsync(ct => ResolveAsync(query.Reference, query.Platform, target, ct));
    }

    private async Task ResolveAsync(Reference reference, Platform? platform, string target, CancellationToken cancellationToken)
    {
        try
        {
            var head = await ClientFor(reference.Registry).ResolveManifestAsync(reference, platform, cancellationToken).ConfigureAwait(false);
            QueueObject(new OciResolvedDigest(head));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            QueueFailure(e, target, ErrorSubject.Manifest);
        }
    }
}
