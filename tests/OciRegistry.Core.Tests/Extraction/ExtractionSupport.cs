using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace OciRegistry.Core.Tests.Extraction;

/// <summary>Compression for test layers: gzip from the BCL, zstd from the package the core reads it with.</summary>
internal static class Compress
{
    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data, 0, data.Length);
        }

        return output.ToArray();
    }

    public static byte[] Zstd(byte[] data)
    {
        using var compressor = new ZstdSharp.Compressor(19);
        return compressor.Wrap(data).ToArray();
    }
}

/// <summary>The mode bits of a file as <c>stat -c %a</c> prints them (never follows a link: <c>stat</c> without -L).</summary>
internal static class FileMode
{
    public static string Of(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%a", path]) { RedirectStandardOutput = true })!;
        var text = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return text;
    }
}

/// <summary>An uncompressed tar of <c>count</c> empty files, produced as it is read, never held whole.</summary>
internal sealed class EmptyEntries : ReadOnlyStream
{
    private readonly long _count;
    private readonly byte[] _block = new byte[512];
    private long _entry;
    private int _offset = 512;

    public EmptyEntries(long count) => _count = count;

    public override int Read(byte[] buffer, int offset, int count)
    {
        var written = 0;
        while (written < count)
        {
            if (_offset == 512)
            {
                if (_entry >= _count + 2)
                {
                    break;
                }

                Fill();
            }

            var n = Math.Min(count - written, 512 - _offset);
            Buffer.BlockCopy(_block, _offset, buffer, offset + written, n);
            _offset += n;
            written += n;
        }

        return written;
    }

    private void Fill()
    {
        Array.Clear(_block, 0, 512);
        if (_entry < _count)
        {
            Encoding.ASCII.GetBytes("f" + _entry.ToString(System.Globalization.CultureInfo.InvariantCulture)).CopyTo(_block, 0);
            Encoding.ASCII.GetBytes("0000644\0").CopyTo(_block, 100);
            Encoding.ASCII.GetBytes("0000000\0").CopyTo(_block, 108);
            Encoding.ASCII.GetBytes("0000000\0").CopyTo(_block, 116);
            Encoding.ASCII.GetBytes("00000000000\0").CopyTo(_block, 124);
            Encoding.ASCII.GetBytes("14524451400\0").CopyTo(_block, 136);
            _block[156] = (byte)'0';
            Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(_block, 257);
            for (var i = 148; i < 156; i++)
            {
                _block[i] = (byte)' ';
            }

            var sum = 0;
            foreach (var b in _block)
            {
                sum += b;
            }

            Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(_block, 148);
        }

        _entry++;
        _offset = 0;
    }
}
