using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Models;

namespace OciRegistry.Core.Extraction;

/// <summary>Where the bytes of an image's layers come from: a registry, a local layout, or a cache in front of either.</summary>
public abstract class LayerSource
{
    /// <summary>Opens the layer's bytes from the start, unverified: the reader verifies them as it goes.</summary>
    public abstract Task<Stream> OpenAsync(Descriptor layer, CancellationToken cancellationToken = default);
}
