using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Completion;
using OciRegistry.Core.Copy;
using OciRegistry.Core.References;
using OciRegistry.Core.Transfer;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Copy-OciImage: copies an image or a whole index (with -IncludeReferrers its signatures, SBOMs and attestations)
/// from one repository to another, on one registry or between two, digests unchanged.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Copy-OciImage.md</c>.</remarks>
[Cmdlet(VerbsCommon.Copy, "OciImage", SupportsShouldProcess = true)]
[OutputType(typeof(OciCopiedImage))]
public sealed class CopyOciImageCommand : RegistryCmdlet
{
    private const int ParentActivity = 1;

    /// <summary>What to copy: <c>registry/repository[:tag][@digest]</c>; with -AllTags or -Tag, a repository.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Reference")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReferenceCompleter))]
    public string Source { get; set; } = string.Empty;

    /// <summary>Where to: <c>registry/repository[:tag]</c>; without a tag, the source's tag.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Copies only this platform's manifest of an index, as its own manifest (digest unchanged).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    public string? Platform { get; set; }

    /// <summary>Copies every tag of the source repository.</summary>
    [Parameter]
    public SwitchParameter AllTags { get; set; }

    /// <summary>Copies the source repository's tags that match these wildcards.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Tag { get; set; }

    /// <summary>Also copies signatures, SBOMs and attestations that refer to the image.</summary>
    [Parameter]
    public SwitchParameter IncludeReferrers { get; set; }

    /// <summary>With -IncludeReferrers, only referrers of this artifact type.</summary>
    [Parameter]
    public string? ArtifactType { get; set; }

    /// <summary>Replaces a destination tag that names another manifest.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Credentials for the source registry; -Credential is the destination's.</summary>
    [Parameter]
    [Credential]
    public PSCredential? SourceCredential { get; set; }

    /// <summary>How many blobs are copied at once.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        Reference source;
        Reference destination;
        Core.Models.Platform? platform;
        try
        {
            var many = AllTags || Tag is not null;
            source = many ? Reference.ParseRepository(Source).RepositoryOnly() : Reference.Parse(Source);
            destination = ParseDestination(Destination, source);
            platform = string.IsNullOrEmpty(Platform) ? null : Core.Models.Platform.Parse(Platform!);
        }
        catch (Exception e) when (e is InvalidReferenceException or Core.Models.InvalidPlatformException)
        {
            WriteError(ErrorMapping.ToErrorRecord(e, Source, ErrorSubject.Manifest));
            return;
        }

        var target = Source;
        var style = Progress();
        var views = new ConcurrentDictionary<Digest, TransferProgressView>();
        var next = ParentActivity;
        RunAsync(async ct =>
        {
            try
            {
                var from = ClientFor(source.Registry, SourceCredential ?? Credential);
                var to = ClientFor(destination.Registry);
                var pairs = new List<(Reference From, Reference To)>();
                if (AllTags || Tag is not null)
                {
                    var patterns = Tag?.Select(t => new WildcardPattern(t, WildcardOptions.CultureInvariant)).ToArray();
                    await foreach (var tag in from.ListTagsAsync(source.Repository, cancellationToken: ct).ConfigureAwait(false))
                    {
                        if (patterns is null || patterns.Any(p => p.IsMatch(tag)))
                        {
                            pairs.Add((source.WithTag(tag), destination.RepositoryOnly().WithTag(tag)));
                        }
                    }
                }
                else
                {
                    pairs.Add((source, destination));
                }

                foreach (var (fromRef, toRef) in pairs)
                {
                    if (!await AskAsync(toRef, $"Copy {fromRef}").ConfigureAwait(false))
                    {
                        continue;
                    }

                    var options = new CopyOptions
                    {
                        Platform = platform,
                        IncludeReferrers = IncludeReferrers,
                        ArtifactType = ArtifactType,
                        Force = Force,
                        ThrottleLimit = ThrottleLimit,
                        Warning = QueueWarning,
                        Progress = style == ProgressStyle.Bars
                            ? new CallbackProgress<TransferProgress>(p => views.GetOrAdd(p.Digest, d => new TransferProgressView(Interlocked.Increment(ref next), ParentActivity, $"Blob {d.Encoded.Substring(0, 12)}", QueueProgress)).Report(p))
                            : null,
                    };
                    var result = await new ImageCopier(from, to, options).CopyAsync(fromRef, toRef, ct).ConfigureAwait(false);
                    QueueVerbose($"Copied {fromRef} to {toRef}: {result.Manifests} manifest(s), {result.BlobsCopied} blob(s) uploaded, {result.BlobsMounted} mounted, {result.BlobsSkipped} already there, {Size.Format(result.BytesUploaded)}.");
                    QueueObject(new OciCopiedImage(result));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                QueueFailure(e, target, ErrorSubject.Manifest);
            }
        });
    }

    // The destination text without a tag or digest takes the source's tag (or its digest, when pinned only by one).
    private static Reference ParseDestination(string text, Reference source)
    {
        var repository = Reference.ParseRepository(text);
        if (repository.Tag is not null || repository.Digest is not null)
        {
            return repository;
        }

        return source.Tag is { } tag ? repository.WithTag(tag) : source.Digest is { } digest ? repository.AtDigest(digest) : repository.WithTag("latest");
    }

    private Task<bool> AskAsync(Reference destination, string action)
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() => answer.SetResult(ShouldProcess(destination.ToString(), action)));
        return answer.Task;
    }
}
