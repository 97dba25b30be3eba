using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using OciRegistry.Core.Archive;

namespace OciRegistry.Core.Tests.Archive;

/// <summary>Reads whole archives for assertions.</summary>
internal static class Tars
{
    /// <summary>Every entry with its data, read through <see cref="TarReader.OpenData"/>.</summary>
    public static async Task<List<(TarEntry Entry, byte[] Data)>> ReadAllAsync(byte[] archive, TarLimits? limits = null)
    {
        using var reader = new TarReader(new ArchiveSource(archive, pieceSize: 700), limits);
        var entries = new List<(TarEntry, byte[])>();
        while (await reader.ReadNextAsync() is { } entry)
        {
            using var data = new MemoryStream();
            await reader.OpenData().CopyToAsync(data);
            entries.Add((entry, data.ToArray()));
        }

        return entries;
    }

    /// <summary>Reads (and drains each entry's data, unless told not to) until the refusal, which it returns; fails the test when none comes.</summary>
    public static async Task<TarFormatException> RefusalAsync(byte[] archive, TarLimits? limits = null, bool readData = true)
    {
        using var reader = new TarReader(new ArchiveSource(archive), limits);
        return await Assert.ThrowsAsync<TarFormatException>(async () =>
        {
            while (await reader.ReadNextAsync() is not null)
            {
                if (readData)
                {
                    await reader.OpenData().CopyToAsync(Stream.Null);
                }
            }
        });
    }
}
