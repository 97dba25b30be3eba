using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Hosting;
using OciRegistry.Output;
using OciRegistry.TestRegistry;

namespace OciRegistry.Commands;

/// <summary>
/// Publish-OciTestArtifact: publishes plain files as an OCI artifact in a running test registry: one layer per file,
/// titled with its name.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Publish-OciTestArtifact.md</c>.</remarks>
[Cmdlet(VerbsData.Publish, "OciTestArtifact", SupportsShouldProcess = true)]
[OutputType(typeof(OciManifest))]
public sealed class PublishOciTestArtifactCommand : PSCmdlet
{
    /// <summary>The artifact type oras gives artifacts that do not name one.</summary>
    public const string DefaultArtifactType = "application/vnd.unknown.artifact.v1";

    /// <summary>The test registry to publish to, from Start-OciTestRegistry.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public OciTestRegistry Registry { get; set; } = null!;

    /// <summary>The repository, e.g. <c>samples/sbom</c>.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Repository { get; set; } = string.Empty;

    /// <summary>A tag to point at the artifact; by default none (referrers are usually found through their subject).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Tag { get; set; }

    /// <summary>The files, one layer each in this order; wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The manifest's artifactType; <c>application/vnd.unknown.artifact.v1</c> by default, as oras does.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ArtifactType { get; set; } = DefaultArtifactType;

    /// <summary>Annotations of the manifest, e.g. <c>@{ 'org.opencontainers.image.created' = '2025-01-01T00:00:00Z' }</c>.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable Annotation { get; set; } = [];

    /// <summary>
    /// The manifest the artifact refers to: a digest of a manifest in the same repository, or a manifest or
    /// descriptor object (Get-OciManifest, Get-OciReferrer, a previous Publish-OciTestArtifact).
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public object? Subject { get; set; }

    /// <summary>The media type of every layer; <c>application/octet-stream</c> by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string LayerMediaType { get; set; } = "application/octet-stream";

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var files = new List<string>();
        foreach (var path in Path)
        {
            var resolved = GetResolvedProviderPathFromPSPath(path, out var provider);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{path}' is not a file system path."), ErrorIds.NotAFileSystemPath, ErrorCategory.InvalidArgument, path));
            }

            // A wildcard that matches nothing resolves to no path and no error: an artifact without the files the
            // test meant to publish would pass silently.
            if (resolved.Count == 0)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"No file matches '{path}'."), ErrorIds.NoFilesToPublish, ErrorCategory.ObjectNotFound, path));
            }

            files.AddRange(resolved.Where(f => !System.IO.Directory.Exists(f)));
        }

        if (files.Count == 0)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Path names no files (only folders)."), ErrorIds.NoFilesToPublish, ErrorCategory.ObjectNotFound, Path));
        }

        var content = Registry.Server.Content;
        var subject = ResolveSubject(content);
        var annotations = Annotation.Cast<DictionaryEntry>().ToDictionary(e => e.Key?.ToString() ?? string.Empty, e => e.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);
        var target = $"{Registry.Host}/{Repository}{(Tag is null ? string.Empty : ":" + Tag)}";
        if (!ShouldProcess(target, $"Publish {files.Count} file(s) as an artifact of type {ArtifactType}"))
        {
            return;
        }

        ImageManifest manifest;
        try
        {
            var artifact = new ManifestBuilder { ArtifactType = ArtifactType, Subject = subject };
            foreach (var annotation in annotations)
            {
                artifact.Annotations.Add(annotation);
            }

            foreach (var file in files)
            {
                artifact.AddLayerFile(LayerMediaType, file);
            }

            manifest = content.AddManifest(Repository, artifact.Build(), Tag is null ? [] : [Tag]);
        }
        catch (Exception e) when (e is ArgumentException or System.IO.IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, ErrorIds.ArtifactNotPublished, ErrorCategory.InvalidArgument, target));
            return;
        }

        WriteObject(new OciManifest(manifest, Reference.Create(Registry.Host, Repository, Tag, manifest.Digest), null));
    }

    private Descriptor? ResolveSubject(ContentStore content)
    {
        var value = Subject is PSObject wrapped ? wrapped.BaseObject : Subject;
        switch (value)
        {
            case null:
                return null;
            case OciManifestBase manifest:
                return Describe(manifest.MediaType, manifest.Digest, manifest.Size);
            case OciDescriptor descriptor:
                return Describe(descriptor.MediaType, descriptor.Digest, descriptor.Size);
            case string text when Digest.TryParse(text, out var digest, out _):
                return content.DescribeManifest(Repository, digest) ?? Fail($"The repository '{Repository}' holds no manifest {digest}; publish the subject first, or pass its manifest object.");
            default:
                return Fail($"-Subject takes a digest or a manifest or descriptor object, not '{value}'.");
        }
    }

    private static Descriptor Describe(string mediaType, string digest, long size) =>
        new() { MediaType = mediaType, Digest = Digest.Parse(digest), Size = size };

    private Descriptor Fail(string message)
    {
        ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), ErrorIds.SubjectNotFound, ErrorCategory.InvalidArgument, Subject));
        return null!;
    }
}
