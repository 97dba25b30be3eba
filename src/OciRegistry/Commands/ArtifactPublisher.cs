using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.Push;
using OciRegistry.Core.References;
using OciRegistry.Core.Transfer;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Publish-OciArtifact's work off the pipeline thread: hash the files, resolve the subject, upload the config and
/// every file (skipped when the registry has it), put the manifest as the exact bytes written, and, where the
/// registry does not index the subject itself (no <c>OCI-Subject</c> header), add the artifact to the subject's
/// referrers tag.
/// </summary>
/// <remarks>
/// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests-with-subject and
/// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema.
/// </remarks>
internal sealed class ArtifactPublisher
{
    private readonly RegistryClient _client;
    private readonly Action<string> _verbose;
    private readonly Func<int, ArtifactFile, IProgress<TransferProgress>?> _progress;

    public ArtifactPublisher(RegistryClient client, Action<string> verbose, Func<int, ArtifactFile, IProgress<TransferProgress>?> progress)
    {
        _client = client;
        _verbose = verbose;
        _progress = progress;
    }

    public async Task<(OciPublishedArtifact Artifact, Exception? ReferrersTagFailure)> PublishAsync(
        Reference target, IReadOnlyList<ArtifactFile> files, ArtifactFile? configFile, string? artifactType,
        IReadOnlyDictionary<string, string> annotations, ArtifactSubject? subject, CancellationToken cancellationToken)
    {
        var repository = target.RepositoryOnly();
        var layers = new List<Descriptor>();
        foreach (var file in files)
        {
            layers.Add(await file.DescribeAsync(cancellationToken).ConfigureAwait(false));
        }

        var config = configFile is null ? ArtifactManifestWriter.EmptyConfig : await configFile.DescribeAsync(cancellationToken).ConfigureAwait(false);
        var subjectDescriptor = subject is null ? null : await subject.DescribeAsync(_client, cancellationToken).ConfigureAwait(false);

        var uploader = new BlobUploader(_client);
        long uploaded = 0;
        uploaded += await UploadAsync(uploader, repository, config, configFile is null ? OpenEmpty : configFile.OpenAsync, null, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < files.Count; i++)
        {
            uploaded += await UploadAsync(uploader, repository, layers[i], files[i].OpenAsync, _progress(i + 1, files[i]), cancellationToken).ConfigureAwait(false);
        }

        var content = ArtifactManifestWriter.Write(artifactType, config, layers, subjectDescriptor, annotations);
        var digest = Digest.Compute(content);
        var pushed = await _client.PutManifestAsync(target.Tag is null ? target.AtDigest(digest) : target, content, MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
        if (pushed.Digest != digest)
        {
            throw new OciException($"the registry stored the manifest as {pushed.Digest}, not as {digest}, the digest of the bytes sent");
        }

        _verbose($"Pushed the manifest {digest} ({Size.Format(content.Length)}) to {target}");
        Exception? failure = null;
        var tagged = false;
        if (subjectDescriptor is not null && !pushed.SubjectIndexed)
        {
            // The registry did not answer OCI-Subject: it keeps no referrers of its own, so the client maintains the
            // index under the subject's referrers tag (sha256-<hex>), as the distribution spec asks.
            _verbose($"The registry did not confirm the subject (no OCI-Subject header): adding {digest} to the referrers tag of {subjectDescriptor.Digest}");
            var referrer = new Descriptor
            {
                MediaType = MediaTypes.OciManifest,
                Digest = digest,
                Size = content.Length,
                ArtifactType = artifactType ?? config.MediaType,
                Annotations = annotations.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
            };
            try
            {
                await _client.AddToReferrersTagAsync(repository, subjectDescriptor.Digest, referrer, cancellationToken).ConfigureAwait(false);
                tagged = true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The artifact is pushed all the same: say so, and what failed.
                failure = e;
            }
        }

        var artifact = new OciPublishedArtifact(target, digest, content.Length, artifactType, config, layers, subjectDescriptor, uploaded, tagged);
        return (artifact, failure);
    }

    private async Task<long> UploadAsync(BlobUploader uploader, Reference repository, Descriptor blob, Func<long, CancellationToken, Task<Stream>> open, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var result = await uploader.UploadAsync(repository, blob, open, mountFrom: null, progress, cancellationToken).ConfigureAwait(false);
        var name = blob.Title ?? "the config";
        _verbose(result.Outcome switch
        {
            BlobUploadOutcome.Skipped => $"{name} ({blob.Digest}) is in {repository} already: not uploaded",
            BlobUploadOutcome.Mounted => $"{name} ({blob.Digest}) was mounted from another repository",
            _ => $"Uploaded {name} ({blob.Digest}): {Size.Format(result.BytesUploaded)}" + (result.Resumes > 0 ? $", resumed {result.Resumes} time(s)" : string.Empty),
        });
        return result.BytesUploaded;
    }

    private static Task<Stream> OpenEmpty(long offset, CancellationToken cancellationToken)
    {
        var stream = new MemoryStream(ArtifactManifestWriter.EmptyConfigContent, writable: false);
        stream.Position = offset;
        return Task.FromResult<Stream>(stream);
    }
}
