using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Completion;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Get-OciManifest: gets the manifest or index a reference names, verified, as typed objects.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Get-OciManifest.md</c>.</remarks>
[Cmdlet(VerbsCommon.Get, "OciManifest", DefaultParameterSetName = ByReference)]
[OutputType(typeof(OciManifest), typeof(OciIndex), typeof(string))]
public sealed class GetOciManifestCommand : RegistryCmdlet
{
    private const string ByReference = "Reference";
    private const string ByParts = "Parts";

    /// <summary>The reference: <c>[registry[:port]/]repository[:tag][@digest]</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByReference)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReferenceCompleter))]
    public string Reference { get; set; } = string.Empty;

    /// <summary>The registry host and port, e.g. <c>ghcr.io</c>.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByParts)]
    [ValidateNotNullOrEmpty]
    public string Registry { get; set; } = string.Empty;

    /// <summary>The repository path, e.g. <c>org/tool</c>.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByParts)]
    [ValidateNotNullOrEmpty]
    public string Repository { get; set; } = string.Empty;

    /// <summary>The tag; <c>latest</c> when neither tag nor digest is given.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByParts)]
    [ArgumentCompleter(typeof(TagCompleter))]
    public string? Tag { get; set; }

    /// <summary>The digest to pull and verify.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByParts)]
    public string? Digest { get; set; }

    /// <summary>
    /// Resolves an index to the manifest for this platform, e.g. <c>linux/arm64</c>; a single image must be built
    /// for it. Binds from a piped index entry's Platform, which the result then shows.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    public string? Platform { get; set; }

    /// <summary>Emits the exact manifest bytes as a string instead of objects.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>
    /// Lists an index's attestation manifests among its Manifests too, in the index's order; by default they are
    /// only in Attestations. Platform selection never chooses one.
    /// </summary>
    [Parameter]
    public SwitchParameter IncludeAttestations { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        object target = ParameterSetName == ByReference ? Reference : $"{Registry}/{Repository}";
        Reference reference;
        Platform? platform;
        try
        {
            reference = ParameterSetName == ByReference
                ? Core.References.Reference.Parse(Reference)
                : Core.References.Reference.Create(Registry, Repository, Tag ?? (Digest is null ? "latest" : null), Digest is null ? null : Core.References.Digest.Parse(Digest));
            platform = Platform is null ? null : Core.Models.Platform.Parse(Platform);
        }
        catch (Exception e) when (e is InvalidReferenceException or InvalidPlatformException)
        {
            WriteError(ErrorMapping.ToErrorRecord(e, target, ErrorSubject.Manifest));
            return;
        }

        RunAsync(ct => PullAsync(reference, platform, target, ct));
    }

    private async Task PullAsync(Reference reference, Platform? platform, object target, CancellationToken cancellationToken)
    {
        try
        {
            var client = ClientFor(reference.Registry);
            var document = await client.GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
            Platform? chosen = null;
            if (platform is not null && document is ImageManifest single)
            {
                // The config says which platform a single image is for: checked, and shown.
                chosen = await client.CheckImagePlatformAsync(single, platform, cancellationToken).ConfigureAwait(false);
            }
            else if (platform is not null)
            {
                var entry = await client.GetManifestForPlatformAsync(document, platform, cancellationToken).ConfigureAwait(false);
                chosen = document is ImageIndex index ? FindPlatform(index, entry.Digest) : null;
                document = entry;
            }

            if (Raw.IsPresent)
            {
                QueueObject(System.Text.Encoding.UTF8.GetString(document.GetRawContent()));
                return;
            }

            QueueObject(document switch
            {
                ImageIndex i => new OciIndex(i, reference, IncludeAttestations),
                ImageManifest m => new OciManifest(m, reference, chosen),
                _ => document,
            });
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            QueueFailure(e, target, ErrorSubject.Manifest);
        }
    }

    private static Platform? FindPlatform(ImageIndex index, Core.References.Digest digest)
    {
        foreach (var entry in index.Manifests)
        {
            if (entry.Digest == digest)
            {
                return entry.Platform;
            }
        }

        return null;
    }
}
