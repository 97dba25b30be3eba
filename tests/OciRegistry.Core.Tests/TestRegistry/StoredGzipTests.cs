using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

public sealed class StoredGzipTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(200_000)]
    public void Compress_Content_DecompressesToTheSameBytes(int length)
    {
        var content = RegistryFixture.Pattern(length);

        var gzip = StoredGzip.Compress(content);

        Assert.Equal([0x1f, 0x8b, 0x08], gzip[..3]);
        using var stream = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        stream.CopyTo(output);
        Assert.Equal(content, output.ToArray());
    }

    [Fact]
    public void Crc32_CheckValue_IsTheStandardOne()
    {
        // The check value of CRC-32/ISO-HDLC over "123456789".
        Assert.Equal(0xCBF43926u, StoredGzip.Crc32(Encoding.ASCII.GetBytes("123456789")));
    }
}
