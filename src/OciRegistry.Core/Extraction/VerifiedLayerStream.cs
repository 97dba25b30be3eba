using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// A layer's bytes as they arrive, hashed as they pass: more bytes than the descriptor's size fail at once, and the
/// end of the stream fails unless the size and the digest are what the descriptor promised. Whoever reads a layer
/// reads it to the end (<see cref="DrainAsync"/>) before anything taken from it is kept.
/// </summary>
internal sealed class VerifiedLayerStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly IncrementalHash _hash;
    private readonly Digest _digest;
    private readonly long _size;
    private readonly LayerName _layer;
    private long _read;
    private bool _verified;

    public VerifiedLayerStream(Stream inner, Digest digest, long size, LayerName layer)
    {
        _inner = inner;
        _digest = digest;
        _size = size;
        _layer = layer;
        _hash = digest.CreateHash();
    }

    /// <summary>How many bytes of the layer have been read.</summary>
    public long BytesRead => _read;

    /// <summary>Whether the whole layer has been read and matched.</summary>
    public bool Verified => _verified;

    public override int Read(byte[] buffer, int offset, int count) =>
        count == 0 ? 0 : Account(buffer, offset, _inner.Read(buffer, offset, Bounded(count)));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        count == 0 ? 0 : Account(buffer, offset, await _inner.ReadAsync(buffer, offset, Bounded(count), cancellationToken).ConfigureAwait(false));

    /// <summary>Reads what is left of the layer, so that it is verified whole.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        while (await ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    // One byte more than the size is asked for at the end, so a body longer than promised is seen, not cut.
    private int Bounded(int count) => (int)Math.Min(count, Math.Max(1, _size - _read + 1));

    private int Account(byte[] buffer, int offset, int n)
    {
        if (n > 0)
        {
            _read += n;
            if (_read > _size)
            {
                throw new ContentVerificationException(ContentKind.Blob, $"layer {_layer} is longer than the {_size} bytes its descriptor gives; nothing from it was kept", _digest);
            }

            _hash.AppendData(buffer, offset, n);
            return n;
        }

        if (!_verified)
        {
            if (_read != _size)
            {
                throw new ContentVerificationException(ContentKind.Blob, $"layer {_layer} ended after {_read} of its {_size} bytes; nothing from it was kept", _digest);
            }

            var actual = Digest.FromHash(_digest.Algorithm, _hash.GetHashAndReset());
            if (actual != _digest)
            {
                throw new ContentVerificationException(ContentKind.Blob, $"layer {_layer}", _digest, actual);
            }

            _verified = true;
        }

        return 0;
    }
}
