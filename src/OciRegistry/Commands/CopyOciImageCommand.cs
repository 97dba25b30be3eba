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
[Cmdlet(VerbsCommon.Copy, "OciImage", SupportsShouldProcess = true, DefaultParameterSetName = RegistrySet)]
[OutputType(typeof(OciCopiedImage))]
public sealed class CopyOciImageCommand : RegistryCmdlet
{
    private const int ParentActivity = 1;
    private const string RegistrySet = "Registry";
    private const string LayoutSet = "Layout";

    /// <summary>
    /// What to copy: <c>registry/repository[:tag][@digest]</c>; with -AllTags or -Tag, a repository; with
    /// -SourceLayout, a tag or digest in the layout (every tag when left out).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = RegistrySet)]
    [Parameter(ParameterSetName = LayoutSet)]
    [Alias("Reference")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReferenceCompleter))]
    public string Source { get; set; } = string.Empty;

    /// <summary>Where to: <c>registry/repository[:tag]</c>; without a tag, the source's tag.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = RegistrySet)]
    [Parameter(Mandatory = true, ParameterSetName = LayoutSet)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Copies only this platform's manifest of an index, as its own manifest (digest unchanged).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    public string? Platform { get; set; }

    /// <summary>Restores an OCI layout (Save-OciImage's, with its referrers) to the destination repository.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LayoutSet)]
    [ValidateNotNullOrEmpty]
    public string? SourceLayout { get; set; }

    /// <summary>Copies every tag of the source repository.</summary>
    [Parameter(ParameterSetName = RegistrySet)]
    public SwitchParameter AllTags { get; set; }

    /// <summary>Copies the source repository's tags that match these wildcards.</summary>
    [Parameter(ParameterSetName = RegistrySet)]
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
    [Parameter(ParameterSetName = RegistrySet)]
    [Credential]
    public PSCredential? SourceCredential { get; set; }

    /// <summary>How many blobs are copied at once.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 4;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (SourceLayout is not null)
        {
            RestoreLayout(GetUnresolvedProviderPathFromPSPath(SourceLayout));
            return;
        }

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
        var lines = new ConcurrentDictionary<Digest, TransferLogView>();
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
                        Progress = style switch
                        {
                            ProgressStyle.Bars => new CallbackProgress<TransferProgress>(p => views.GetOrAdd(p.Digest, d => new TransferProgressView(Interlocked.Increment(ref next), ParentActivity, $"Blob {d.Encoded.Substring(0, 12)}", QueueProgress)).Report(p)),
                            ProgressStyle.Lines => new CallbackProgress<TransferProgress>(p => lines.GetOrAdd(p.Digest, d => new TransferLogView($"Blob {d.Encoded.Substring(0, 12)} to {toRef}", QueueProgressLine)).Report(p)),
                            _ => null,
                        },
                    };
                    var result = await new ImageCopier(from, fromRef, to, options).CopyAsync(fromRef, toRef, ct).ConfigureAwait(false);
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

    // Every tag of the layout (or the one asked for) to the destination repository, with everything that refers to them.
    private void RestoreLayout(string folder)
    {
        Reference destination;
        Core.Models.Platform? platform;
        try
        {
            destination = Reference.ParseRepository(Destination);
            platform = string.IsNullOrEmpty(Platform) ? null : Core.Models.Platform.Parse(Platform!);
        }
        catch (Exception e) when (e is InvalidReferenceException or Core.Models.InvalidPlatformException)
        {
            WriteError(ErrorMapping.ToErrorRecord(e, Destination, ErrorSubject.Manifest));
            return;
        }

        RunAsync(async ct =>
        {
            try
            {
                var source = new LayoutCopySource(Core.Layout.OciLayoutReader.Read(folder));
                var to = ClientFor(destination.Registry);
                var wanted = string.IsNullOrEmpty(Source) ? source.Tags : [Source];
                foreach (var name in wanted)
                {
                    var digest = Digest.TryParse(name, out var parsed, out _) ? parsed : null;
                    var target = digest is not null
                        ? (destination.Tag is null ? destination.AtDigest(digest) : destination)
                        : destination.Tag is null ? destination.WithTag(name) : destination;
                    if (!await AskAsync(target, $"Restore {folder}:{name}").ConfigureAwait(false))
                    {
                        continue;
                    }

                    var options = new CopyOptions { Platform = platform, IncludeReferrers = true, ArtifactType = ArtifactType, Force = Force, ThrottleLimit = ThrottleLimit, Warning = QueueWarning };
                    var result = await new ImageCopier(source, to, options).CopyAsync($"{folder}:{name}", digest is null ? name : null, digest, target, ct).ConfigureAwait(false);
                    QueueObject(new OciCopiedImage(result));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                QueueFailure(e, folder, ErrorSubject.Manifest);
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
