using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Copy;

/// <summary>Where <see cref="ImageCopier"/> reads from: a repository of a registry, or an OCI layout (an air-gapped copy).</summary>
public abstract class CopySource
{
    /// <summary>The registry, when blobs may be mounted from <see cref="Repository"/>; null for a layout.</summary>
    public abstract string? Registry { get; }

    /// <summary>The repository blobs may be mounted from; null for a layout.</summary>
    public abstract string? Repository { get; }

    /// <summary>The manifest or index at a tag or digest, verified.</summary>
    public abstract Task<ManifestDocument> GetManifestAsync(string? tag, Digest? digest, CancellationToken cancellationToken);

    /// <summary>A blob's bytes from <paramref name="offset"/>; the destination checks the digest.</summary>
    public abstract Task<Stream> OpenBlobAsync(Descriptor blob, long offset, CancellationToken cancellationToken);

    /// <summary>The manifests that name <paramref name="subject"/> as their subject.</summary>
    public abstract Task<IReadOnlyList<Descriptor>> ListReferrersAsync(Digest subject, string? artifactType, CancellationToken cancellationToken);

    /// <summary>Whether the source has <paramref name="tag"/>.</summary>
    public abstract Task<bool> HasTagAsync(string tag, CancellationToken cancellationToken);
}
