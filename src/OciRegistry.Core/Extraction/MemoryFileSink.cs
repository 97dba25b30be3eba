using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Extraction;

/// <summary>Files read into memory, for the pipeline: each capped, so a large file is refused rather than buffered.</summary>
public sealed class MemoryFileSink : FileSink
{
    /// <summary>The default cap on one file read into memory.</summary>
    public const long DefaultMaximumBytes = 16L * 1024 * 1024;

    private readonly long _maximumBytes;

    /// <summary>Creates the sink.</summary>
    public MemoryFileSink(long maximumBytes = DefaultMaximumBytes) => _maximumBytes = maximumBytes;

    /// <inheritdoc/>
    public override async Task<PendingFile> AcceptAsync(LayerItem item, string outputPath, Stream content, CancellationToken cancellationToken)
    {
        if (item.Size > _maximumBytes)
        {
            throw new ContentTooLargeException(ContentKind.Blob, $"file {item.Path} of layer {item.LayerIndex}", _maximumBytes, item.Size);
        }

        var buffer = new MemoryStream((int)item.Size);
        await content.CopyToAsync(buffer, 81920, cancellationToken).ConfigureAwait(false);
        return new InMemory(item, outputPath, buffer.ToArray());
    }

    /// <inheritdoc/>
    public override Task<PendingFile> DuplicateAsync(PendingFile source, LayerItem item, string outputPath, CancellationToken cancellationToken) =>
        Task.FromResult<PendingFile>(new InMemory(item, outputPath, ((InMemory)source).Bytes));

    /// <summary>A file held in memory; its bytes may be read once committed.</summary>
    public sealed class InMemory : PendingFile
    {
        private readonly byte[] _content;

        internal InMemory(LayerItem item, string outputPath, byte[] content)
            : base(item, outputPath) => _content = content;

        internal byte[] Bytes => _content;

        /// <summary>Whether the layer it came from was verified.</summary>
        public bool Committed { get; private set; }

        /// <summary>The content; only once committed.</summary>
        public byte[] Content => Committed ? _content : throw new System.InvalidOperationException("The file's layer has not been verified.");

        /// <inheritdoc/>
        public override void Commit() => Committed = true;

        /// <inheritdoc/>
        public override void Discard()
        {
        }
    }
}
