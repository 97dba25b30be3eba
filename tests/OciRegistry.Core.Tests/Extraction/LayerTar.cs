using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using OciRegistry.Core.Extraction;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.Extraction;

/// <summary>Builds layer tars for the extraction tests: ustar headers, with a pax record for names over 100 bytes.</summary>
internal sealed class LayerTar
{
    private readonly MemoryStream _tar = new();

    public LayerTar Dir(string name, int mode = 0x1ED) => Header(name, '5', 0, mode, string.Empty);

    public LayerTar File(string name, string content, int mode = 0x1A4) => File(name, Encoding.UTF8.GetBytes(content), mode);

    public LayerTar File(string name, byte[] content, int mode = 0x1A4)
    {
        Header(name, '0', content.Length, mode, string.Empty);
        _tar.Write(content, 0, content.Length);
        Pad(content.Length);
        return this;
    }

    public LayerTar Symlink(string name, string target) => Header(name, '2', 0, 0x1FF, target);

    public LayerTar HardLink(string name, string target) => Header(name, '1', 0, 0x1A4, target);

    public LayerTar Fifo(string name) => Header(name, '6', 0, 0x1A4, string.Empty);

    public LayerTar Whiteout(string name) => File(WhiteoutName(name), string.Empty);

    public LayerTar Opaque(string directory) => File(directory.TrimEnd('/') + "/.wh..wh..opq", string.Empty);

    /// <summary>A header claiming <paramref name="size"/> bytes of content, with none following.</summary>
    public LayerTar Claim(string name, long size)
    {
        var block = Block(name, '0', 0, 0x1A4, string.Empty);
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0')).CopyTo(block, 124);
        WriteChecksummed(block);
        return this;
    }

    /// <summary>An entry whose name comes from a pax 'path' record (any bytes: long, with NUL, absolute).</summary>
    public LayerTar PaxFile(string path, string content)
    {
        var record = PaxRecord("path", path);
        Header("PaxHeaders/x", 'x', record.Length, 0x1A4, string.Empty);
        _tar.Write(record, 0, record.Length);
        Pad(record.Length);
        return File("placeholder", content);
    }

    public byte[] ToArray()
    {
        var copy = new MemoryStream();
        _tar.WriteTo(copy);
        copy.Write(new byte[1024], 0, 1024);
        return copy.ToArray();
    }

    public byte[] Gzip()
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            var tar = ToArray();
            gzip.Write(tar, 0, tar.Length);
        }

        return output.ToArray();
    }

    private static string WhiteoutName(string name)
    {
        var slash = name.LastIndexOf('/');
        return slash < 0 ? ".wh." + name : name.Substring(0, slash + 1) + ".wh." + name.Substring(slash + 1);
    }

    private LayerTar Header(string name, char type, long size, int mode, string link)
    {
        if (Encoding.UTF8.GetByteCount(name) > 99 || Encoding.UTF8.GetByteCount(link) > 99)
        {
            var records = new MemoryStream();
            var path = PaxRecord("path", name);
            records.Write(path, 0, path.Length);
            if (link.Length > 0)
            {
                var linkPath = PaxRecord("linkpath", link);
                records.Write(linkPath, 0, linkPath.Length);
            }

            var body = records.ToArray();
            WriteChecksummed(Block("PaxHeaders/x", 'x', body.Length, 0x1A4, string.Empty));
            _tar.Write(body, 0, body.Length);
            Pad(body.Length);
            name = "long";
            link = link.Length > 0 ? "long" : link;
        }

        WriteChecksummed(Block(name, type, size, mode, link));
        return this;
    }

    private static byte[] Block(string name, char type, long size, int mode, string link)
    {
        var block = new byte[512];
        Encoding.UTF8.GetBytes(name).CopyTo(block, 0);
        Octal(mode, 8).CopyTo(block, 100);
        Octal(0, 8).CopyTo(block, 108);
        Octal(0, 8).CopyTo(block, 116);
        Octal(size, 12).CopyTo(block, 124);
        Octal(1_700_000_000, 12).CopyTo(block, 136);
        block[156] = (byte)type;
        Encoding.UTF8.GetBytes(link).CopyTo(block, 157);
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(block, 257);
        return block;
    }

    private void WriteChecksummed(byte[] block)
    {
        for (var i = 148; i < 156; i++)
        {
            block[i] = (byte)' ';
        }

        var sum = 0;
        foreach (var b in block)
        {
            sum += b;
        }

        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(block, 148);
        _tar.Write(block, 0, block.Length);
    }

    private static byte[] Octal(long value, int field) =>
        Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(field - 1, '0') + "\0");

    private void Pad(long length)
    {
        var padding = (int)((512 - (length % 512)) % 512);
        _tar.Write(new byte[padding], 0, padding);
    }

    private static byte[] PaxRecord(string key, string value)
    {
        var rest = Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value) + 3;
        var length = rest + 1;
        while (length.ToString(CultureInfo.InvariantCulture).Length + rest != length)
        {
            length++;
        }

        return Encoding.UTF8.GetBytes($"{length} {key}={value}\n");
    }
}

/// <summary>An image made of layer blobs held in memory, served by digest.</summary>
internal sealed class MemoryImage : LayerSource
{
    private readonly Dictionary<Digest, Func<Stream>> _blobs = [];
    private readonly List<Descriptor> _layers = [];

    public int Opened { get; private set; }

    public MemoryImage Layer(byte[] blob, string mediaType = "application/vnd.oci.image.layer.v1.tar+gzip")
    {
        var digest = Digest.Compute(blob);
        _blobs[digest] = () => new MemoryStream(blob, writable: false);
        _layers.Add(new Descriptor { MediaType = mediaType, Digest = digest, Size = blob.Length });
        return this;
    }

    public MemoryImage Layer(LayerTar tar) => Layer(tar.Gzip());

    /// <summary>A layer whose stream is produced on demand, with a digest and size that are the test's to claim.</summary>
    public MemoryImage Streamed(Func<Stream> open, long size, string mediaType = "application/vnd.oci.image.layer.v1.tar")
    {
        var digest = Digest.Compute(Guid.NewGuid().ToByteArray());
        _blobs[digest] = open;
        _layers.Add(new Descriptor { MediaType = mediaType, Digest = digest, Size = size });
        return this;
    }

    /// <summary>A layer whose bytes are <paramref name="blob"/> but whose descriptor names other content.</summary>
    public MemoryImage Corrupt(byte[] blob)
    {
        var digest = Digest.Compute(SHA256.Create().ComputeHash(blob));
        _blobs[digest] = () => new MemoryStream(blob, writable: false);
        _layers.Add(new Descriptor { MediaType = "application/vnd.oci.image.layer.v1.tar+gzip", Digest = digest, Size = blob.Length });
        return this;
    }

    public ImageLayers Build() => ImageLayers.FromLayers(_layers.ToArray(), "test-image", this);

    public override System.Threading.Tasks.Task<Stream> OpenAsync(Descriptor layer, System.Threading.CancellationToken cancellationToken = default)
    {
        Opened++;
        return System.Threading.Tasks.Task.FromResult(_blobs[layer.Digest]());
    }
}
