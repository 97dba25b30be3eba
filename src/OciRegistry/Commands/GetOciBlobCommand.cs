using System;
using System.Management.Automation;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Completion;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Get-OciBlob: reads a small blob (a config, an artifact's payload) into the pipeline, verified against its digest.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Get-OciBlob.md</c>.</remarks>
// The manifest set is the default so that a piped OciManifest binds as a manifest (and is asked for -Config or
// -Layer) rather than by its Reference and Digest properties, which would read the manifest itself as a blob.
[Cmdlet(VerbsCommon.Get, "OciBlob", DefaultParameterSetName = ByManifest)]
[OutputType(typeof(string), typeof(byte[]))]
public sealed class GetOciBlobCommand : RegistryCmdlet
{
    private const string ByBlob = "Blob";
    private const string ByManifest = "Manifest";

    /// <summary>A manifest from <c>Get-OciManifest</c>; <c>-Config</c> or <c>-Layer</c> says which of its blobs to read.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByManifest)]
    public OciManifest? Manifest { get; set; }

    /// <summary>Reads the manifest's config blob.</summary>
    [Parameter(ParameterSetName = ByManifest)]
    public SwitchParameter Config { get; set; }

    /// <summary>Reads the manifest's layer at this index (0 is the first).</summary>
    [Parameter(ParameterSetName = ByManifest)]
    [ValidateRange(0, int.MaxValue)]
    public int? Layer { get; set; }

    /// <summary>The repository (<c>registry/repository</c>), or <c>registry/repository@digest</c>; descriptors bind by property name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByBlob)]
    [ArgumentCompleter(typeof(RepositoryCompleter))]
    [ValidateNotNullOrEmpty]
    public string Reference { get; set; } = string.Empty;

    /// <summary>The blob's digest; may instead be part of <c>-Reference</c>.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByBlob)]
    public string? Digest { get; set; }

    /// <summary>The blob's size from its descriptor: checked, and a blob known to be too large is refused without a download.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByBlob)]
    [ValidateRange(0, long.MaxValue)]
    public long? Size { get; set; }

    /// <summary>A piped descriptor's media type, checked so that a manifest or index is not fetched as a blob.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByBlob, DontShow = true)]
    public string? MediaType { get; set; }

    /// <summary>The most bytes to read into memory (default 4 MiB, at most 1 GiB).</summary>
    [Parameter]
    [ValidateRange(1, Limits.MaxBlobReadBytes)]
    public long MaxSize { get; set; } = Limits.BlobReadBytes;

    /// <summary>Writes the blob as one byte array instead of UTF-8 text.</summary>
    [Parameter]
    public SwitchParameter AsByteArray { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string reference;
        string? digestText;
        long? size;
        if (ParameterSetName == ByManifest)
        {
            if (Config.IsPresent == Layer.HasValue)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException("Name one blob of the manifest: -Config, or -Layer with the layer's index."),
                    ErrorIds.BlobNotSpecified, ErrorCategory.InvalidArgument, Manifest));
            }

            var descriptor = Config.IsPresent ? Manifest!.Config : Layer < Manifest!.Layers.Length ? Manifest.Layers[Layer!.Value] : null;
            if (descriptor is null)
            {
                WriteError(new ErrorRecord(new ArgumentOutOfRangeException(nameof(Layer), Layer, $"The manifest {Manifest.Reference} has {Manifest.Layers.Length} layer(s); -Layer counts from 0."),
                    ErrorIds.LayerNotFound, ErrorCategory.ObjectNotFound, Manifest.Reference));
                return;
            }

            (reference, digestText, size) = (Manifest.Reference, descriptor.Digest, descriptor.Size);
        }
        else
        {
            (reference, digestText, size) = (Reference, Digest, Size);
        }

        if (!BlobTarget.TryResolve(reference, digestText, out var repository, out var digest, out var error, ParameterSetName == ByBlob ? MediaType : null))
        {
            WriteError(error!);
            return;
        }

        RunAsync(ct => ReadAsync(repository, digest, size, reference, ct));
    }

    private async Task ReadAsync(Reference repository, Digest digest, long? size, object target, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await ClientFor(repository.Registry).ReadBlobAsync(repository, digest, MaxSize, size, cancellationToken).ConfigureAwait(false);
            QueueVerbose($"Read {digest}: {Hosting.Size.Format(bytes.Length)}, verified.");
            QueueObject(AsByteArray.IsPresent ? bytes : Text(bytes));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            QueueFailure(e, target, ErrorSubject.Blob);
        }
    }

    /// <summary>UTF-8 text without a byte order mark, which would otherwise start the string and trip JSON parsers.</summary>
    private static string Text(byte[] bytes)
    {
        var bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        return Encoding.UTF8.GetString(bytes, bom, bytes.Length - bom);
    }
}
