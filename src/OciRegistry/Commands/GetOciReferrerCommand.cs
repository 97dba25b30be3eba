using System;
using System.Management.Automation;
using OciRegistry.Core.References;
using OciRegistry.Completion;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Get-OciReferrer: lists the artifacts that refer to a manifest: signatures, SBOMs, attestations.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Get-OciReferrer.md</c>.</remarks>
[Cmdlet(VerbsCommon.Get, "OciReferrer")]
[OutputType(typeof(OciDescriptor))]
public sealed class GetOciReferrerCommand : RegistryCmdlet
{
    /// <summary>The manifest whose referrers to list: <c>registry/repository@digest</c>, or a tag.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReferenceCompleter))]
    public string Reference { get; set; } = string.Empty;

    /// <summary>Only referrers of this artifact type, e.g. <c>application/spdx+json</c>.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ArtifactTypeCompleter))]
    public string? ArtifactType { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        Reference subject;
        try
        {
            subject = Core.References.Reference.Parse(Reference);
        }
        catch (InvalidReferenceException e)
        {
            WriteError(ErrorMapping.ToErrorRecord(e, Reference, ErrorSubject.Manifest));
            return;
        }

        var target = Reference;
        RunAsync(ct => StreamAsync(subject.Registry, (client, token) => client.ListReferrersAsync(subject, ArtifactType, token), d => new OciDescriptor(d), target, ErrorSubject.Manifest, ct));
    }
}
