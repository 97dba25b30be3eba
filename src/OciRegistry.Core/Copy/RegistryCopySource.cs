using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Core.Copy;

/// <summary>A repository of a registry as a copy's source; blobs are read resumably.</summary>
public sealed class RegistryCopySource : CopySource
{
    private readonly RegistryClient _client;
    private readonly Reference _repository;

    /// <summary>Creates the source for the repository <paramref name="repository"/> names.</summary>
    public RegistryCopySource(RegistryClient client, Reference repository)
    {
        _client = client;
        _repository = repository.RepositoryOnly();
    }

    /// <inheritdoc/>
    public override string? Registry => _client.Registry;

    /// <inheritdoc/>
    public override string? Repository => _repository.Repository;

    /// <inheritdoc/>
    public override Task<ManifestDocument> GetManifestAsync(string? tag, Digest? digest, CancellationToken cancellationToken) =>
        _client.GetManifestAsync(digest is not null ? _repository.AtDigest(digest) : _repository.WithTag(tag ?? "latest"), cancellationToken);

    /// <inheritdoc/>
    public override async Task<Stream> OpenBlobAsync(Descriptor blob, long offset, CancellationToken cancellationToken) =>
        await ResumingBlobStream.OpenAtAsync(_client, _repository, blob.Digest, blob.Size, offset, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public override async Task<IReadOnlyList<Descriptor>> ListReferrersAsync(Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        var referrers = new List<Descriptor>();
        await foreach (var referrer in _client.ListReferrersAsync(_repository.AtDigest(subject), artifactType, cancellationToken).ConfigureAwait(false))
        {
            referrers.Add(referrer);
        }

        return referrers;
    }

    /// <inheritdoc/>
    public override Task<bool> HasTagAsync(string tag, CancellationToken cancellationToken) =>
        _client.ManifestExistsAsync(_repository.WithTag(tag), cancellationToken: cancellationToken);
}
