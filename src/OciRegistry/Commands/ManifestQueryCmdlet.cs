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
/// The base of cmdlets that ask one question of a manifest a reference names, optionally for one platform of an
/// index (Test-OciManifest, Resolve-OciDigest, Get-OciImageConfig): the two parameters, their parsing before any
/// request, and one failure mapped per input.
/// </summary>
public abstract class ManifestQueryCmdlet : RegistryCmdlet
{
    /// <summary>
    /// The reference: <c>[registry[:port]/]repository[:tag][@digest]</c>. A piped tag, OciManifest or index entry
    /// binds by its Reference property.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReferenceCompleter))]
    public string Reference { get; set; } = string.Empty;

    /// <summary>The platform of an index to ask about (or a single image must be built for), e.g. <c>linux/arm64</c>.</summary>
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
        RunAsync(async ct =>
        {
            try
            {
                await AskAsync(query.Reference, query.Platform, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                QueueFailure(e, target, ErrorSubject.Manifest);
            }
        });
    }

    /// <summary>Asks the question and queues the answer; a failure becomes an error record about the input.</summary>
    private protected abstract Task AskAsync(Reference reference, Platform? platform, CancellationToken cancellationToken);
}
