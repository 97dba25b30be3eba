using System;

namespace OciRegistry.Core.Archive;

/// <summary>
/// The numbers of a tar header: octal text padded with NUL or space (ustar, v7), or GNU's base-256 binary form for
/// values octal cannot hold (first byte 0x80; 0xff marks a negative number, which no field we read may be). And the
/// decimal numbers of pax records. Each returns the problem as text instead of throwing, so that the caller can say
/// which field of which entry it was.
/// </summary>
/// <remarks>After Go's <c>archive/tar</c> <c>parseNumeric</c>/<c>parseOctal</c> (strconv.go).</remarks>
internal static class TarNumbers
{
    /// <summary>1970-01-01 in ticks; DateTimeOffset.UnixEpoch is not in netstandard2.0.</summary>
    private const long UnixEpochTicks = 621355968000000000;

    /// <summary>The first second of year 1, relative to the epoch.</summary>
    private const long MinimumUnixSeconds = -62135596800;

    /// <summary>The last second of year 9999, relative to the epoch.</summary>
    private const long MaximumUnixSeconds = 253402300799;

    /// <summary>Parses a numeric header field; false with <paramref name="problem"/> set when it is not a usable number.</summary>
    public static bool TryParseField(ReadOnlySpan<byte> field, out long value, out string? problem)
    {
        value = 0;
        problem = null;
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            return TryParseBase256(field, out value, out problem);
        }

        // Octal: optional leading spaces/NULs, digits, then only spaces/NULs.
        var i = 0;
        while (i < field.Length && (field[i] == (byte)' ' || field[i] == 0))
        {
            i++;
        }

        ulong result = 0;
        for (; i < field.Length && field[i] >= (byte)'0' && field[i] <= (byte)'7'; i++)
        {
            if (result > (ulong)long.MaxValue >> 3)
            {
                problem = "does not fit a 64-bit number";
                return false;
            }

            result = (result << 3) | (uint)(field[i] - '0');
        }

        for (; i < field.Length; i++)
        {
            if (field[i] != (byte)' ' && field[i] != 0)
            {
                problem = "is not an octal number";
                return false;
            }
        }

        if (result > long.MaxValue)
        {
            problem = "does not fit a 64-bit number";
            return false;
        }

        value = (long)result;
        return true;
    }

    /// <summary>Parses a pax decimal value: digits only, at least one, fitting a long.</summary>
    public static bool TryParseDecimal(byte[] bytes, int offset, int count, out long value)
    {
        value = 0;
        if (count == 0)
        {
            return false;
        }

        long result = 0;
        for (var i = offset; i < offset + count; i++)
        {
            var digit = bytes[i] - '0';
            if (digit < 0 || digit > 9 || result > (long.MaxValue - digit) / 10)
            {
                return false;
            }

            result = (result * 10) + digit;
        }

        value = result;
        return true;
    }

    /// <summary>
    /// Seconds (and extra ticks, of the same sign) since the Unix epoch as a UTC time; false when outside what
    /// <see cref="DateTimeOffset"/> holds (years 1 to 9999).
    /// </summary>
    public static bool TryToTime(long seconds, long extraTicks, out DateTimeOffset time)
    {
        time = default;
        if (seconds < MinimumUnixSeconds || seconds > MaximumUnixSeconds)
        {
            return false;
        }

        var ticks = UnixEpochTicks + (seconds * TimeSpan.TicksPerSecond) + extraTicks;
        if (ticks < DateTimeOffset.MinValue.Ticks || ticks > DateTimeOffset.MaxValue.Ticks)
        {
            return false;
        }

        time = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    private static bool TryParseBase256(ReadOnlySpan<byte> field, out long value, out string? problem)
    {
        value = 0;
        problem = null;
        if ((field[0] & 0x40) != 0)
        {
            problem = "is negative";
            return false;
        }

        ulong result = (ulong)(field[0] & 0x3f);
        for (var i = 1; i < field.Length; i++)
        {
            if (result >> 55 != 0)
            {
                problem = "does not fit a 64-bit number";
                return false;
            }

            result = (result << 8) | field[i];
        }

        if (result > long.MaxValue)
        {
            problem = "does not fit a 64-bit number";
            return false;
        }

        value = (long)result;
        return true;
    }
}
