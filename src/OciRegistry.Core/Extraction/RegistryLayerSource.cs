using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Core.Extraction;

/// <summary>Layers read from a registry, resuming with a range request when a connection drops (<see cref="ResumingBlobStream"/>).</summary>
public sealed class RegistryLayerSource : LayerSource
{
    private readonly RegistryClient _client;
    private readonly Reference _repository;

    /// <summary>Creates the source for the repository <paramref name="repository"/> names.</summary>
    public RegistryLayerSource(RegistryClient client, Reference repository)
    {
        _client = client;
        _repository = repository;
    }

    /// <inheritdoc/>
    public override async Task<Stream> OpenAsync(Descriptor layer, CancellationToken cancellationToken = default) =>
        await ResumingBlobStream.OpenAtAsync(_client, _repository, layer.Digest, layer.Size, 0, cancellationToken).ConfigureAwait(false);
}
