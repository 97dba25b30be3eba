using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Completion;
using OciRegistry.Core.References;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Get-OciRateLimit: the pull rate limit a registry states (Docker Hub's <c>ratelimit-*</c> headers), from one HEAD
/// of a manifest, which Docker Hub does not count as a pull.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Get-OciRateLimit.md</c>.</remarks>
[Cmdlet(VerbsCommon.Get, "OciRateLimit")]
[OutputType(typeof(OciRateLimit))]
public sealed class GetOciRateLimitCommand : RegistryCmdlet
{
    /// <summary>A manifest to ask about, e.g. <c>docker.io/library/alpine</c> (any image of the registry).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReferenceCompleter))]
    public string Reference { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ManifestQuery.TryParse(this, Reference, platform: null) is not { } query)
        {
            return;
        }

        var target = Reference;
        RunAsync(ct => ReadAsync(query.Reference, target, ct));
    }

    private async Task ReadAsync(Reference reference, string target, CancellationToken cancellationToken)
    {
        try
        {
            var limit = await ClientFor(reference.Registry).GetRateLimitAsync(reference, cancellationToken).ConfigureAwait(false);
            if (limit is null)
            {
                // Said plainly, because a script reading Remaining gets null, and null -lt 10 is true in PowerShell.
                QueueWarning($"{reference.Registry} states no rate limit: its answer for {reference} had none of the ratelimit-limit, ratelimit-remaining and docker-ratelimit-source headers.");
            }

            QueueObject(new OciRateLimit(reference.ToString(), reference.Registry, limit));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            QueueFailure(e, target, ErrorSubject.Manifest);
        }
    }
}
