using System;
using System.Management.Automation;
using OciRegistry.Completion;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Remove-OciManifest: deletes a manifest (and with it every tag that points at it) by digest; a tag is resolved to
/// its digest first.
/// </summary>
/// <remarks>
/// What users read about it is its help page, <c>src/Help/en-US/Remove-OciManifest.md</c>. The distribution spec
/// deletes manifests by digest (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#deleting-manifests);
/// deleting a tag alone is optional and often refused, so a tag is resolved and its manifest deleted.
/// </remarks>
[Cmdlet(VerbsCommon.Remove, "OciManifest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(OciResolvedDigest))]
public sealed class RemoveOciManifestCommand : RegistryCmdlet
{
    /// <summary>
    /// The manifest: <c>registry/repository@digest</c>, or a tag (<c>registry/repository:tag</c>), which is resolved
    /// to its digest. Piped manifests, tags and Resolve-OciDigest results bind by their Reference property.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReferenceCompleter))]
    public string Reference { get; set; } = string.Empty;

    /// <summary>Writes what was removed (digest, media type, size, the tag asked for); by default nothing is written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        Reference reference;
        try
        {
            // Without a tag or a digest, "latest" would be assumed: too much of a guess for a delete.
            reference = Core.References.Reference.ParseRepository(Reference);
        }
        catch (InvalidReferenceException e)
        {
            WriteError(ErrorMapping.ToErrorRecord(e, Reference, ErrorSubject.ManifestDeletion));
            return;
        }

        if (reference.Tag is null && reference.Digest is null)
        {
            WriteError(new ErrorRecord(
                new ArgumentException($"'{Reference}' names a repository, not a manifest: name the tag or digest to remove."),
                ErrorIds.InvalidReference,
                ErrorCategory.InvalidArgument,
                Reference) { ErrorDetails = new ErrorDetails($"'{Reference}' names no tag or digest; nothing was removed.") { RecommendedAction = "Write registry/repository:tag or registry/repository@digest; Get-OciTag lists the tags." } });
            return;
        }

        var action = reference.Digest is { } digest
            ? $"Remove the manifest {digest}, and every tag that points at it"
            : $"Remove the manifest the tag '{reference.Tag}' points at, and every tag that points at it";
        if (!ShouldProcess(reference.ToString(), action))
        {
            return;
        }

        var target = Reference;
        RunAsync(async ct =>
        {
            try
            {
                var client = ClientFor(reference.Registry);
                var head = reference.Digest is { } known
                    ? new ManifestHead(reference, known, null, null, platform: null, readContent: false)
                    : await client.ResolveManifestAsync(reference, null, ct).ConfigureAwait(false);
                if (reference.Digest is null)
                {
                    QueueVerbose($"{reference} is {head.Digest}: removing that manifest");
                }

                await client.DeleteManifestAsync(head.Pinned, ct).ConfigureAwait(false);
                QueueVerbose($"Removed {head.Pinned}");
                if (PassThru.IsPresent)
                {
                    QueueObject(new OciResolvedDigest(head));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                QueueFailure(e, target, ErrorSubject.ManifestDeletion);
            }
        });
    }
}
