using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.LocalFiles;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Commands;

/// <summary>
/// A local file on its way into an artifact: hashed as it streams (never read whole), then opened again at any
/// offset for the upload, which the registry checks against the digest taken here. It is opened only as a regular
/// file, so a FIFO or a device named by mistake is refused instead of read without end.
/// </summary>
internal sealed class ArtifactFile
{
    private const int BufferSize = 1024 * 1024;

    public ArtifactFile(string path, string? title, string mediaType, long length)
    {
        Path = path;
        Title = title;
        MediaType = mediaType;
        Length = length;
    }

    /// <summary>The full path.</summary>
    public string Path { get; }

    /// <summary>The <c>org.opencontainers.image.title</c> it gets (its file name); null for a config.</summary>
    public string? Title { get; }

    /// <summary>The media type of its descriptor.</summary>
    public string MediaType { get; }

    /// <summary>Its length when the command started, for -WhatIf and progress; the descriptor's size is what was hashed.</summary>
    public long Length { get; }

    /// <summary>Hashes the file and returns its descriptor, titled when it has a title.</summary>
    public async Task<Descriptor> DescribeAsync(CancellationToken cancellationToken)
    {
        using var stream = RegularFile.OpenRead(Path, followFinalLink: true);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        long size = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            size += read;
        }

        return new Descriptor
        {
            MediaType = MediaType,
            Digest = Digest.FromHash("sha256", hash.GetHashAndReset()),
            Size = size,
            Annotations = Title is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [Descriptor.TitleAnnotation] = Title },
        };
    }

    /// <summary>Opens the file positioned at <paramref name="offset"/>, for the uploader (which may resume part way).</summary>
    public Task<Stream> OpenAsync(long offset, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var stream = RegularFile.OpenRead(Path, followFinalLink: true);
        try
        {
            stream.Seek(offset, SeekOrigin.Begin);
            return Task.FromResult<Stream>(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
