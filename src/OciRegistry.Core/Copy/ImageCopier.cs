using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.Push;
using OciRegistry.Core.References;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Core.Copy;

/// <summary>
/// Copies an image or a whole index from one repository to another, on one registry or between two, without
/// changing a digest: every manifest is written with the exact bytes it was read as, children before their index,
/// blobs before the manifest that needs them, and the tag last. Blobs the destination has are skipped (one HEAD),
/// blobs of the same registry are mounted, the rest stream from source to destination without being stored.
/// With referrers, what refers to each copied manifest (signatures, SBOMs, attestations; through the referrers API
/// or its tag schema, and cosign's <c>sha256-&lt;hex&gt;.sig/.att/.sbom</c> tags) follows it.
/// </summary>
public sealed class ImageCopier
{
    private const int MaximumReferrerDepth = 4;
    private static readonly string[] CosignSuffixes = [".sig", ".att", ".sbom"];

    private readonly CopySource _source;
    private readonly RegistryClient _destination;
    private readonly CopyOptions _options;
    private readonly BlobUploader _uploader;
    private readonly ConcurrentDictionary<Digest, Task> _blobs = new();
    private readonly HashSet<Digest> _written = [];

    /// <summary>Creates the copier from a repository of a registry; the two clients may be one.</summary>
    public ImageCopier(RegistryClient source, Reference repository, RegistryClient destination, CopyOptions? options = null)
        : this(new RegistryCopySource(source, repository), destination, options)
    {
    }

    /// <summary>Creates the copier from any source: a registry's repository, or a layout.</summary>
    public ImageCopier(CopySource source, RegistryClient destination, CopyOptions? options = null)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _destination = destination ?? throw new ArgumentNullException(nameof(destination));
        _options = options ?? new CopyOptions();
        _uploader = new BlobUploader(destination);
    }

    /// <summary>
    /// Copies what <paramref name="source"/> names to <paramref name="destination"/> (a tag, or a digest that must be
    /// the source's). A destination tag naming another manifest fails with <see cref="TagConflictException"/>
    /// unless <see cref="CopyOptions.Force"/>; one already naming the same manifest is left as it is.
    /// </summary>
    public Task<CopyResult> CopyAsync(Reference source, Reference destination, CancellationToken cancellationToken = default) =>
        CopyAsync(source.ToString(), source.Tag, source.Digest, destination, cancellationToken);

    /// <summary>As <see cref="CopyAsync(Reference, Reference, CancellationToken)"/>, for a tag or digest of any source (a layout's).</summary>
    public async Task<CopyResult> CopyAsync(string name, string? tag, Digest? digest, Reference destination, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var result = new CopyResult(name, destination);
        var document = await _source.GetManifestAsync(tag, digest, cancellationToken).ConfigureAwait(false);
        if (_options.Platform is { } platform && document is ImageIndex index)
        {
            var entry = RegistryClient.SelectPlatform(index, platform);
            document = await _source.GetManifestAsync(null, entry.Digest, cancellationToken).ConfigureAwait(false);
        }

        result.Digest = document.Digest;
        if (destination.Digest is { } pinned && pinned != document.Digest)
        {
            throw new TagConflictException(destination, pinned, document.Digest);
        }

        var current = destination.Tag is null ? null : await TagTargetAsync(destination, cancellationToken).ConfigureAwait(false);
        if (current is not null && current != document.Digest && !_options.Force)
        {
            throw new TagConflictException(destination, current, document.Digest);
        }

        var target = destination.RepositoryOnly();
        await CopyDocumentAsync(target, document, result, cancellationToken).ConfigureAwait(false);
        if (_options.IncludeReferrers)
        {
            await CopyReferrersAsync(target, document, result, depth: 1, cancellationToken).ConfigureAwait(false);
        }

        if (destination.Tag is not null && current != document.Digest)
        {
            await _destination.PutManifestAsync(destination.WithoutDigest(), document.GetRawContent(), document.MediaType, cancellationToken).ConfigureAwait(false);
            result.Manifests++;
        }

        result.Elapsed = clock.Elapsed;
        return result;
    }

    private async Task<Digest?> TagTargetAsync(Reference destination, CancellationToken cancellationToken)
    {
        try
        {
            return (await _destination.ResolveManifestAsync(destination.WithoutDigest(), cancellationToken: cancellationToken).ConfigureAwait(false)).Digest;
        }
        catch (RegistryResponseException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    // Children first (an index's manifests, a manifest's blobs), then the document itself, by digest.
    // Returns what the registry said of the write, or null when the destination already had the document.
    private async Task<ManifestPushResult?> CopyDocumentAsync(Reference to, ManifestDocument document, CopyResult result, CancellationToken cancellationToken)
    {
        if (IsWritten(document.Digest))
        {
            return null;
        }

        if (await _destination.ManifestExistsAsync(to.AtDigest(document.Digest), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            Remember(document.Digest);
            return null;
        }

        switch (document)
        {
            case ImageIndex index:
                foreach (var entry in index.Manifests)
                {
                    var child = await _source.GetManifestAsync(null, entry.Digest, cancellationToken).ConfigureAwait(false);
                    await CopyDocumentAsync(to, child, result, cancellationToken).ConfigureAwait(false);
                }

                break;
            case ImageManifest manifest:
                await CopyBlobsAsync(to, new[] { manifest.Config }.Concat(manifest.Layers), result, cancellationToken).ConfigureAwait(false);
                break;
        }

        var pushed = await _destination.PutManifestAsync(to.AtDigest(document.Digest), document.GetRawContent(), document.MediaType, cancellationToken).ConfigureAwait(false);
        Remember(document.Digest);
        lock (result)
        {
            result.Manifests++;
        }

        return pushed;
    }

    private void Remember(Digest digest)
    {
        lock (_written)
        {
            _written.Add(digest);
        }
    }

    private async Task CopyBlobsAsync(Reference to, IEnumerable<Descriptor> blobs, CopyResult result, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(Math.Max(1, _options.ThrottleLimit));
        var copies = new List<Task>();
        foreach (var blob in blobs)
        {
            if (blob.Urls.Count > 0 && blob.MediaType.IndexOf("nondistributable", StringComparison.OrdinalIgnoreCase) + blob.MediaType.IndexOf("foreign", StringComparison.OrdinalIgnoreCase) > -2)
            {
                _options.Warning?.Invoke($"Not copied: the non-distributable layer {blob.Digest} lives at {blob.Urls[0]}, not in the registry.");
                continue;
            }

            copies.Add(_blobs.GetOrAdd(blob.Digest, _ => CopyBlobAsync(to, blob, gate, result, cancellationToken)));
        }

        await Task.WhenAll(copies).ConfigureAwait(false);
    }

    private async Task CopyBlobAsync(Reference to, Descriptor blob, SemaphoreSlim gate, CopyResult result, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sameRegistry = _source.Registry is not null && string.Equals(_source.Registry, _destination.Registry, StringComparison.OrdinalIgnoreCase) && _source.Repository != to.Repository;
            var uploaded = await _uploader.UploadAsync(
                to,
                blob,
                (offset, ct) => _source.OpenBlobAsync(blob, offset, ct),
                sameRegistry ? _source.Repository : null,
                _options.Progress,
                cancellationToken).ConfigureAwait(false);
            lock (result)
            {
                switch (uploaded.Outcome)
                {
                    case BlobUploadOutcome.Skipped:
                        result.BlobsSkipped++;
                        break;
                    case BlobUploadOutcome.Mounted:
                        result.BlobsMounted++;
                        break;
                    default:
                        result.BlobsCopied++;
                        break;
                }

                result.BytesUploaded += uploaded.BytesUploaded;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    // What refers to the document (and, for an index, to each of its manifests): copied, then recorded in the
    // destination's referrers tag schema when it does not index subjects itself. Cosign's tags travel as tags.
    private async Task CopyReferrersAsync(Reference to, ManifestDocument document, CopyResult result, int depth, CancellationToken cancellationToken)
    {
        var subjects = new List<Digest> { document.Digest };
        if (document is ImageIndex index)
        {
            subjects.AddRange(index.Manifests.Select(entry => entry.Digest));
        }

        foreach (var subject in subjects)
        {
            foreach (var referrer in await _source.ListReferrersAsync(subject, _options.ArtifactType, cancellationToken).ConfigureAwait(false))
            {
                var manifest = await _source.GetManifestAsync(null, referrer.Digest, cancellationToken).ConfigureAwait(false);
                if (await CopyDocumentAsync(to, manifest, result, cancellationToken).ConfigureAwait(false) is { } pushed)
                {
                    // A registry that did not index the subject itself (no OCI-Subject answer) has the tag schema.
                    if (!pushed.SubjectIndexed)
                    {
                        await _destination.AddToReferrersTagAsync(to, subject, referrer, cancellationToken).ConfigureAwait(false);
                    }

                    result.Referrers++;
                }

                if (depth < MaximumReferrerDepth)
                {
                    await CopyReferrersAsync(to, manifest, result, depth + 1, cancellationToken).ConfigureAwait(false);
                }
            }

            foreach (var suffix in CosignSuffixes)
            {
                var tag = ReferrersTag.For(subject) + suffix;
                if (!await _source.HasTagAsync(tag, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                var signature = await _source.GetManifestAsync(tag, null, cancellationToken).ConfigureAwait(false);
                await CopyDocumentAsync(to, signature, result, cancellationToken).ConfigureAwait(false);
                await _destination.PutManifestAsync(to.WithTag(tag), signature.GetRawContent(), signature.MediaType, cancellationToken).ConfigureAwait(false);
                result.Referrers++;
            }
        }
    }

    private bool IsWritten(Digest digest)
    {
        lock (_written)
        {
            return _written.Contains(digest);
        }
    }
}
