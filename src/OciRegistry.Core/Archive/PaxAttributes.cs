using System;

namespace OciRegistry.Core.Archive;

/// <summary>
/// The pax extended-header keys we honour, parsed from the body of an 'x' (this entry) or 'g' (all later entries)
/// record. Keys we do not know are ignored, as POSIX allows; GNU's sparse-file keys are refused because ignoring
/// them would extract a sparse file's map as its content.
/// </summary>
/// <remarks>
/// Record grammar, POSIX.1-2017 pax "Extended Header" (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html):
/// <c>"%d %s=%s\n", &lt;length&gt;, &lt;keyword&gt;, &lt;value&gt;</c>, the length counting the whole record in
/// bytes, itself included. An empty value removes the key (falls back to the global record or the header).
/// </remarks>
internal sealed class PaxAttributes
{
    /// <summary>No record length has more digits than this: the body itself is capped far below 10^12 bytes.</summary>
    private const int MaximumLengthDigits = 12;

    private const string SparsePrefix = "GNU.sparse.";

    public string? Path { get; private set; }

    public string? LinkPath { get; private set; }

    public string? UserName { get; private set; }

    public string? GroupName { get; private set; }

    public long? Size { get; private set; }

    public long? Uid { get; private set; }

    public long? Gid { get; private set; }

    public DateTimeOffset? ModifiedTime { get; private set; }

    /// <summary>True when no key is set.</summary>
    public bool IsEmpty =>
        Path is null && LinkPath is null && UserName is null && GroupName is null && Size is null && Uid is null && Gid is null && ModifiedTime is null;

    /// <summary>Forgets every key (before the next entry's local record).</summary>
    public void Clear()
    {
        Path = LinkPath = UserName = GroupName = null;
        Size = Uid = Gid = null;
        ModifiedTime = null;
    }

    /// <summary>
    /// Applies the records in <paramref name="count"/> bytes of <paramref name="body"/>. In a global record
    /// (<paramref name="global"/>) path, linkpath and size are ignored: they name one file, and a default for every
    /// later entry would make them all the same file. Returns what is wrong, or null.
    /// </summary>
    public string? Apply(byte[] body, int count, bool global, int maximumNameBytes)
    {
        var position = 0;
        while (position < count)
        {
            var problem = NextRecord(body, position, count, out var keyStart, out var keyLength, out var valueStart, out var valueLength, out var next);
            problem ??= ApplyRecord(TarText.Decode(body, keyStart, keyLength), body, valueStart, valueLength, global, maximumNameBytes);
            if (problem is not null)
            {
                return problem;
            }

            position = next;
        }

        return null;
    }

    private static string? NextRecord(byte[] body, int start, int count, out int keyStart, out int keyLength, out int valueStart, out int valueLength, out int next)
    {
        keyStart = keyLength = valueStart = valueLength = next = 0;
        var i = start;
        long length = 0;
        while (i < count && body[i] >= (byte)'0' && body[i] <= (byte)'9' && i - start < MaximumLengthDigits)
        {
            length = (length * 10) + (body[i] - '0');
            i++;
        }

        if (i == start || i >= count || body[i] != (byte)' ')
        {
            return $"a malformed pax record at body byte {start}: it does not start with a decimal length and a space";
        }

        if (length <= i - start + 1 || length > count - start)
        {
            return $"a malformed pax record at body byte {start}: its length field ({length}) does not match the record";
        }

        var end = start + (int)length;
        if (body[end - 1] != (byte)'\n')
        {
            return $"a malformed pax record at body byte {start}: it does not end with a newline";
        }

        keyStart = i + 1;
        var equals = Array.IndexOf(body, (byte)'=', keyStart, end - 1 - keyStart);
        if (equals < 0)
        {
            return $"a malformed pax record at body byte {start}: it has no '='";
        }

        if (equals == keyStart)
        {
            return $"a malformed pax record at body byte {start}: its keyword is empty";
        }

        keyLength = equals - keyStart;
        valueStart = equals + 1;
        valueLength = end - 1 - valueStart;
        next = end;
        return null;
    }

    private string? ApplyRecord(string key, byte[] body, int start, int length, bool global, int maximumNameBytes)
    {
        if (key.StartsWith(SparsePrefix, StringComparison.Ordinal))
        {
            return $"a sparse file (pax key '{TarFormatException.Printable(key)}'), which this reader does not support";
        }

        var empty = length == 0;
        switch (key)
        {
            case "path" when !global:
            case "linkpath" when !global:
                if (length > maximumNameBytes)
                {
                    return $"the pax {key} is {length} bytes, more than TarLimits.MaximumNameBytes ({maximumNameBytes})";
                }

                var text = empty ? null : TarText.Decode(body, start, length);
                if (key == "path")
                {
                    Path = text;
                }
                else
                {
                    LinkPath = text;
                }

                return null;
            case "size" when !global:
                return Number(key, body, start, length, value => Size = value);
            case "uid":
                return Number(key, body, start, length, value => Uid = value);
            case "gid":
                return Number(key, body, start, length, value => Gid = value);
            case "uname":
                UserName = empty ? null : TarText.Decode(body, start, length);
                return null;
            case "gname":
                GroupName = empty ? null : TarText.Decode(body, start, length);
                return null;
            case "mtime":
                if (empty)
                {
                    ModifiedTime = null;
                    return null;
                }

                if (!TryParseTime(body, start, length, out var time))
                {
                    return $"the pax mtime '{TarFormatException.Printable(TarText.Decode(body, start, length))}' is not a time in range";
                }

                ModifiedTime = time;
                return null;
            default:
                return null;
        }
    }

    private static string? Number(string key, byte[] body, int start, int length, Action<long?> set)
    {
        if (length == 0)
        {
            set(null);
            return null;
        }

        if (!TarNumbers.TryParseDecimal(body, start, length, out var value))
        {
            return $"the pax {key} '{TarFormatException.Printable(TarText.Decode(body, start, length))}' is not a non-negative decimal number that fits 64 bits";
        }

        set(value);
        return null;
    }

    /// <summary>Seconds since the epoch, optionally negative, optionally with a fraction (kept to 100 ns).</summary>
    private static bool TryParseTime(byte[] body, int start, int length, out DateTimeOffset time)
    {
        time = default;
        var negative = body[start] == (byte)'-';
        var digitsStart = negative ? start + 1 : start;
        var end = start + length;
        var dot = Array.IndexOf(body, (byte)'.', digitsStart, end - digitsStart);
        var secondsEnd = dot < 0 ? end : dot;
        if (!TarNumbers.TryParseDecimal(body, digitsStart, secondsEnd - digitsStart, out var seconds))
        {
            return false;
        }

        long fractionTicks = 0;
        if (dot >= 0)
        {
            long scale = TimeSpan.TicksPerSecond / 10;
            for (var i = dot + 1; i < end; i++)
            {
                var digit = body[i] - '0';
                if (digit < 0 || digit > 9)
                {
                    return false;
                }

                fractionTicks += digit * scale;
                scale /= 10;
            }
        }

        return TarNumbers.TryToTime(negative ? -seconds : seconds, negative ? -fractionTicks : fractionTicks, out time);
    }
}
