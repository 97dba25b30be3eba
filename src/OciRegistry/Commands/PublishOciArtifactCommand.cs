using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using OciRegistry.Completion;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Core.Transfer;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Publish-OciArtifact: pushes plain files to a registry as an OCI artifact, one titled layer per file.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Publish-OciArtifact.md</c>.</remarks>
[Cmdlet(VerbsData.Publish, "OciArtifact", SupportsShouldProcess = true)]
[OutputType(typeof(OciPublishedArtifact))]
public sealed class PublishOciArtifactCommand : RegistryCmdlet
{
    /// <summary>The config media type oras gives a config file that names none.</summary>
    public const string UnknownConfigType = "application/vnd.unknown.config.v1+json";

    // RFC 6838 section 4.2: type "/" subtype, restricted-name characters only.
    private const string MediaTypePattern = @"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$";

    private readonly List<ArtifactFile> _files = [];
    private readonly Dictionary<string, string> _titles = new(FileNameKey.Comparer);

    /// <summary>Where to push: <c>registry/repository:tag</c>, or <c>registry/repository</c> to push by digest alone.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(RepositoryCompleter))]
    [ValidateNotNullOrEmpty]
    public string Reference { get; set; } = string.Empty;

    /// <summary>The files, one layer each in this order; wildcards are expanded; piped files bind by FullName.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The manifest's artifactType; <c>application/vnd.unknown.artifact.v1</c> without it and without -ConfigPath.</summary>
    [Parameter]
    [ValidatePattern(MediaTypePattern)]
    [ArgumentCompleter(typeof(ArtifactTypeCompleter))]
    public string? ArtifactType { get; set; }

    /// <summary>Annotations of the manifest; <c>org.opencontainers.image.created</c> is added unless given.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable Annotation { get; set; } = [];

    /// <summary>The manifest the artifact refers to: a reference, a digest, or a manifest object.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Subject { get; set; }

    /// <summary>A file to use as the config instead of the empty one.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    /// <summary>The media type of every file; by default each file's comes from its extension.</summary>
    [Parameter]
    [ValidatePattern(MediaTypePattern)]
    public string? MediaType { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var path in Path)
        {
            foreach (var file in Resolve(path))
            {
                var info = new FileInfo(file);
                var title = info.Name;
                if (SafeFileName.Problem(title) is { } problem)
                {
                    Refuse(ErrorIds.UnsafeTitle, $"Refusing to publish '{file}': its name would be the title, and Save-OciBlob -UseTitle refuses the title '{title}': {problem}. Nothing was published.", "Rename the file (or publish a copy) under a plain file name.", file);
                }

                if (_titles.TryGetValue(FileNameKey.Of(title), out var earlier))
                {
                    Refuse(ErrorIds.DuplicateTitle, $"'{file}' and '{earlier}' would both be titled '{title}' (titles that differ only in case or Unicode form name one file when saved). Nothing was published.", "Publish files with different names, or as separate artifacts.", file);
                }

                _titles[FileNameKey.Of(title)] = file;
                _files.Add(new ArtifactFile(file, title, MediaType ?? MediaTypeExtension.MediaTypeFor(title) ?? "application/octet-stream", info.Length));
            }
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (_files.Count == 0)
        {
            Refuse(ErrorIds.NoFilesToPublish, "-Path names no files (only folders). Nothing was published.", "Name the files to publish.", Path);
        }

        Reference target = null!;
        try
        {
            target = Core.References.Reference.ParseRepository(Reference);
        }
        catch (InvalidReferenceException e)
        {
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, Reference, ErrorSubject.Manifest));
        }

        if (target.Digest is not null)
        {
            Refuse(ErrorIds.InvalidReference, $"'{Reference}' names a digest, but a manifest's digest is that of its bytes: push to a tag (registry/repository:tag) or to the repository alone.", "Leave out @digest.", Reference);
        }

        var config = ConfigPath is null ? null : Resolve(ConfigPath).Select(f => new ArtifactFile(f, null, MediaTypeExtension.MediaTypeFor(f) ?? UnknownConfigType, new FileInfo(f).Length)).First();
        var artifactType = ArtifactType ?? (config is null ? PublishOciTestArtifactCommand.DefaultArtifactType : null);
        Dictionary<string, string> annotations = [];
        try
        {
            annotations = ArtifactAnnotations.From(Annotation);
        }
        catch (ArgumentException e)
        {
            Refuse(ErrorIds.InvalidAnnotation, e.Message + " Nothing was published.", "Name each annotation, e.g. @{ 'org.opencontainers.image.source' = 'https://…' }.", Annotation);
        }

        ArtifactSubject? subject = null;
        try
        {
            subject = Subject is null ? null : ArtifactSubject.From(Subject, target);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidReferenceException)
        {
            Refuse(ErrorIds.SubjectNotFound, e.Message, "Pass a manifest of the target repository: a tag or digest there, or Get-OciManifest's output.", Subject);
        }

        var total = _files.Sum(f => f.Length) + (config?.Length ?? 0);
        if (!ShouldProcess(target.ToString(), $"Publish {_files.Count} file(s) ({Size.Format(total)}) as {artifactType ?? config!.MediaType}" + (subject is null ? string.Empty : $" referring to {subject.Reference}")))
        {
            return;
        }

        var style = Progress();
        var publisher = new ArtifactPublisher(ClientFor(target.Registry), QueueVerbose, (activity, file) => style switch
        {
            ProgressStyle.Bars => new CallbackProgress<TransferProgress>(new TransferProgressView(activity, -1, $"Publishing {file.Title} ({activity} of {_files.Count})", QueueProgress).Report),
            ProgressStyle.Lines => new CallbackProgress<TransferProgress>(new TransferLogView($"Publishing {file.Title}", QueueProgressLine, upload: true).Report),
            _ => null,
        });
        RunAsync(async ct =>
        {
            try
            {
                var (artifact, failure) = await publisher.PublishAsync(target, _files, config, artifactType, annotations, subject, ct).ConfigureAwait(false);
                if (failure is not null)
                {
                    QueueFailure(failure, artifact.Reference, ErrorSubject.Manifest);
                }

                QueueObject(artifact);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                QueueFailure(e, target.ToString(), ErrorSubject.Manifest);
            }
        });
    }

    private List<string> Resolve(string path)
    {
        Collection<string> resolved = [];
        ProviderInfo? provider = null;
        try
        {
            resolved = GetResolvedProviderPathFromPSPath(path, out provider);
        }
        catch (ItemNotFoundException e)
        {
            Refuse(ErrorIds.NoFilesToPublish, e.Message + " Nothing was published.", "Check the path; wildcards are expanded.", path);
        }

        if (provider?.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
        {
            Refuse(ErrorIds.NotAFileSystemPath, $"'{path}' is not a file system path.", "Name files on disk.", path);
        }

        // A wildcard that matches nothing resolves to no path and no error: an artifact without the files meant
        // would be published silently.
        if (resolved.Count == 0)
        {
            Refuse(ErrorIds.NoFilesToPublish, $"No file matches '{path}'. Nothing was published.", "Check the path; wildcards are expanded.", path);
        }

        foreach (var folder in resolved.Where(Directory.Exists))
        {
            WriteWarning($"'{folder}' is a folder, which is not published: only files are (name the files in it, e.g. {System.IO.Path.Combine(folder, "*")}).");
        }

        return [.. resolved.Where(f => !Directory.Exists(f))];
    }

    private void Refuse(string id, string message, string action, object? target) =>
        ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), id, id == ErrorIds.NoFilesToPublish ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidArgument, target) { ErrorDetails = new ErrorDetails(message) { RecommendedAction = action } });
}
