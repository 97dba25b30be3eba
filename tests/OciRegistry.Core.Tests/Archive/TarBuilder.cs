using System.IO;
using System.Text;

namespace OciRegistry.Core.Tests.Archive;

/// <summary>A tar archive assembled record by record in memory: entries, pax and GNU records, raw bytes, end marker.</summary>
internal sealed class TarBuilder
{
    private readonly MemoryStream _archive = new();

    public long Length => _archive.Length;

    /// <summary>A header and its data, padded to the block size (the header's size field is the test's to set).</summary>
    public TarBuilder Entry(TarHeaderSpec header, byte[]? data = null)
    {
        Raw(header.ToBlock());
        if (data is not null)
        {
            Raw(data);
            Raw(new byte[(512 - (data.Length % 512)) % 512]);
        }

        return this;
    }

    public TarBuilder File(string name, byte[] data) =>
        Entry(new TarHeaderSpec { Name = name, Size = data.Length }, data);

    public TarBuilder File(string name, string text) => File(name, Encoding.UTF8.GetBytes(text));

    /// <summary>A pax record set ('x' or 'g'), each written "len key=value\n" with a correct length.</summary>
    public TarBuilder Pax(char type, params (string Key, string Value)[] records)
    {
        var body = new MemoryStream();
        foreach (var (key, value) in records)
        {
            var record = PaxRecord(key, Encoding.UTF8.GetBytes(value));
            body.Write(record);
        }

        return PaxBody(type, body.ToArray());
    }

    /// <summary>A pax header with exactly these body bytes (malformed records).</summary>
    public TarBuilder PaxBody(char type, byte[] body) =>
        Entry(new TarHeaderSpec { Name = "PaxHeaders/file", TypeFlag = type, Size = body.Length }, body);

    /// <summary>A GNU long-name ('L') or long-link ('K') record.</summary>
    public TarBuilder GnuLong(char type, string value)
    {
        var body = Encoding.UTF8.GetBytes(value + "\0");
        return Entry(TarHeaderSpec.Gnu("././@LongLink", type, body.Length), body);
    }

    public TarBuilder Raw(byte[] bytes)
    {
        _archive.Write(bytes);
        return this;
    }

    public TarBuilder End(int zeroBlocks = 2) => Raw(new byte[512 * zeroBlocks]);

    public byte[] ToArray() => _archive.ToArray();

    /// <summary>One pax record: its decimal length counts itself.</summary>
    public static byte[] PaxRecord(string key, byte[] value)
    {
        var rest = Encoding.UTF8.GetByteCount(key) + value.Length + 3;
        var length = rest + 1;
        while (length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + rest != length)
        {
            length++;
        }

        var record = new MemoryStream();
        record.Write(Encoding.ASCII.GetBytes($"{length} {key}="));
        record.Write(value);
        record.WriteByte((byte)'\n');
        return record.ToArray();
    }
}
