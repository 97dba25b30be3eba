using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Extraction;

/// <summary>Files read into memory, for the pipeline: each capped, so a large file is refused rather than buffered.</summary>
public sealed class MemoryFileSink : FileSink
{
    /// <summary>The default cap on one file read into memory.</summary>
    public const long DefaultMaximumBytes = 16L * 1024 * 1024;

    /// <summary>The default cap on all files one command holds in memory at once.</summary>
    public const long DefaultMaximumTotalBytes = 256L * 1024 * 1024;

    private readonly long _maximumBytes;
    private readonly long _maximumTotalBytes;
    private long _held;

    /// <summary>Creates the sink.</summary>
    public MemoryFileSink(long maximumBytes = DefaultMaximumBytes, long maximumTotalBytes = DefaultMaximumTotalBytes)
    {
        _maximumBytes = maximumBytes;
        _maximumTotalBytes = maximumTotalBytes;
    }

    /// <inheritdoc/>
    public override async Task<PendingFile> AcceptAsync(LayerItem item, string outputPath, Stream content, CancellationToken cancellationToken)
    {
        if (item.Size > _maximumBytes)
        {
            throw new ContentTooLargeException(ContentKind.Blob, $"file {item.Path} of layer {item.LayerIndex}", _maximumBytes, item.Size);
        }

        if (_held + item.Size > _maximumTotalBytes)
        {
            throw new ContentTooLargeException(ContentKind.Blob, $"files read into memory (with {item.Path})", _maximumTotalBytes, _held + item.Size);
        }

        _held += item.Size;
        var buffer = new MemoryStream((int)item.Size);
        await content.CopyToAsync(buffer, 81920, cancellationToken).ConfigureAwait(false);
        return new InMemory(item, outputPath, buffer.ToArray(), this);
    }

    /// <inheritdoc/>
    public override Task<PendingFile> DuplicateAsync(PendingFile source, LayerItem item, string outputPath, CancellationToken cancellationToken) =>
        Task.FromResult<PendingFile>(new InMemory(item, outputPath, ((InMemory)source).Bytes, null));

    /// <summary>A file held in memory; its bytes may be read once committed.</summary>
    public sealed class InMemory : PendingFile
    {
        private readonly byte[] _content;
        private MemoryFileSink? _sink;

        internal InMemory(LayerItem item, string outputPath, byte[] content, MemoryFileSink? sink)
            : base(item, outputPath)
        {
            _content = content;
            _sink = sink;
        }

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
            if (_sink is not null)
            {
                _sink._held -= _content.Length;
                _sink = null;
            }
        }
    }
}
