using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Transfer;

/// <summary>
/// Hashes bytes as they pass, refuses any byte past the expected size, and at the end of the stream fails with
/// <see cref="ContentVerificationException"/> unless both size and digest match. The hash may be pre-seeded with
/// bytes already on disk, so a resumed download is verified end to end.
/// </summary>
/// <remarks>After go-containerregistry's internal/verify.</remarks>
internal sealed class VerifyingStream : Stream
{
    private readonly Stream _inner;
    private readonly IncrementalHash _hash;
    private readonly Digest _expected;
    private readonly long _size;
    private readonly string _what;
    private long _position;
    private bool _verified;

    /// <param name="inner">The bytes from <paramref name="position"/> on.</param>
    /// <param name="hash">A hash that has already consumed the first <paramref name="position"/> bytes; owned by this stream.</param>
    /// <param name="expected">The digest the whole content must have.</param>
    /// <param name="size">The size the whole content must have.</param>
    /// <param name="position">How many bytes the hash has already seen.</param>
    /// <param name="what">Names the content in errors.</param>
    public VerifyingStream(Stream inner, IncrementalHash hash, Digest expected, long size, long position, string what)
    {
        _inner = inner;
        _hash = hash;
        _expected = expected;
        _size = size;
        _position = position;
        _what = what;
    }

    /// <summary>Bytes verified so far, including those hashed before this stream.</summary>
    public long Position64 => _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _size;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var read = await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        return Account(buffer, offset, read);
    }

    public override int Read(byte[] buffer, int offset, int count) => Account(buffer, offset, _inner.Read(buffer, offset, count));

    private int Account(byte[] buffer, int offset, int read)
    {
        if (read == 0)
        {
            Verify();
            return 0;
        }

        if (_position + read > _size)
        {
            throw new ContentVerificationException($"{_what} is larger than the {_size} bytes its descriptor declares; the content was discarded", _expected);
        }

        _hash.AppendData(buffer, offset, read);
        _position += read;
        return read;
    }

    private void Verify()
    {
        if (_verified)
        {
            return;
        }

        if (_position != _size)
        {
            throw new IOException($"{_what} ended after {_position} of {_size} bytes");
        }

        var actual = Digest.FromHash(_expected.Algorithm, _hash.GetHashAndReset());
        if (actual != _expected)
        {
            throw new ContentVerificationException(_what, _expected, actual);
        }

        _verified = true;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
