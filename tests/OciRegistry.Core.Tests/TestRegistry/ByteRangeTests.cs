using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

public sealed class ByteRangeTests
{
    [Theory]
    [InlineData(null, 100, "Full", 0, 100)]
    [InlineData("", 100, "Full", 0, 100)]
    [InlineData("bytes=0-0", 100, "Partial", 0, 1)]
    [InlineData("bytes=0-99", 100, "Partial", 0, 100)]
    [InlineData("bytes=50-", 100, "Partial", 50, 50)]
    [InlineData("bytes=99-", 100, "Partial", 99, 1)]
    [InlineData("bytes=-1", 100, "Partial", 99, 1)]
    [InlineData("bytes=-100", 100, "Partial", 0, 100)]
    [InlineData("bytes=-101", 100, "Partial", 0, 100)]
    [InlineData("bytes=-9223372036854775807", 100, "Partial", 0, 100)]
    [InlineData("bytes=10-9223372036854775807", 100, "Partial", 10, 90)]
    [InlineData("bytes=10-99999999999999999999", 100, "Partial", 10, 90)]
    [InlineData("\tbytes=10-19 ", 100, "Partial", 10, 10)]
    [InlineData("Bytes=10-19", 100, "Partial", 10, 10)]
    [InlineData("bytes=100-", 100, "Unsatisfiable", 0, 0)]
    [InlineData("bytes=100-200", 100, "Unsatisfiable", 0, 0)]
    [InlineData("bytes=99999999999999999999-", 100, "Unsatisfiable", 0, 0)]
    [InlineData("bytes=-0", 100, "Unsatisfiable", 0, 0)]
    [InlineData("bytes=-00", 100, "Unsatisfiable", 0, 0)]
    [InlineData("bytes=0-", 0, "Unsatisfiable", 0, 0)]
    [InlineData("bytes=-5", 0, "Full", 0, 0)]
    [InlineData("bytes=20-10", 100, "Full", 0, 100)]
    [InlineData("bytes=-", 100, "Full", 0, 100)]
    [InlineData("bytes=", 100, "Full", 0, 100)]
    [InlineData("bytes=5", 100, "Full", 0, 100)]
    [InlineData("bytes=a-5", 100, "Full", 0, 100)]
    [InlineData("bytes=5-b", 100, "Full", 0, 100)]
    [InlineData("bytes=-5-6", 100, "Full", 0, 100)]
    [InlineData("bytes=5--6", 100, "Full", 0, 100)]
    [InlineData("bytes=1 -2", 100, "Full", 0, 100)]
    [InlineData("bytes=0-1,5-6", 100, "Full", 0, 100)]
    [InlineData("bytes=0-1,", 100, "Full", 0, 100)]
    [InlineData("bytes=+1-2", 100, "Full", 0, 100)]
    [InlineData("bytes=١-٢", 100, "Full", 0, 100)]
    [InlineData("bytes 0-1", 100, "Full", 0, 100)]
    [InlineData("bits=0-1", 100, "Full", 0, 100)]
    [InlineData("bytes", 100, "Full", 0, 100)]
    public void Evaluate_Header_SelectsWhatToSend(string? header, long size, string kind, long start, long length)
    {
        var range = ByteRange.Evaluate(header, size);

        Assert.Equal(Enum.Parse<ByteRangeKind>(kind), range.Kind);
        Assert.Equal(start, range.Start);
        Assert.Equal(length, range.Length);
    }

    [Fact]
    public void End_OfPartialRange_IsInclusive()
    {
        Assert.Equal(19, ByteRange.Evaluate("bytes=10-19", 100).End);
    }
}
