using System;
using System.Text;

namespace OciRegistry.Core.Archive;

/// <summary>
/// How tar bytes become names. Pax says its records are UTF-8, but ustar and GNU headers carry whatever bytes the
/// writer's locale produced; like Python's <c>tarfile</c> with its "surrogateescape" fallback, we keep every name
/// readable: valid UTF-8 decodes as UTF-8, anything else byte for byte as Latin-1, so no two distinct byte strings
/// that are valid UTF-8 collapse into one replacement-character name.
/// </summary>
internal static class TarText
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Encoding Latin1 = Encoding.GetEncoding(28591);

    /// <summary>Decodes <paramref name="count"/> bytes at <paramref name="offset"/>.</summary>
    public static string Decode(byte[] bytes, int offset, int count)
    {
        if (count == 0)
        {
            return string.Empty;
        }

        var ascii = true;
        for (var i = offset; i < offset + count; i++)
        {
            if (bytes[i] >= 0x80)
            {
                ascii = false;
                break;
            }
        }

        if (ascii)
        {
            return Latin1.GetString(bytes, offset, count);
        }

        try
        {
            return StrictUtf8.GetString(bytes, offset, count);
        }
        catch (DecoderFallbackException)
        {
            return Latin1.GetString(bytes, offset, count);
        }
    }

    /// <summary>The length of a NUL-terminated field of at most <paramref name="size"/> bytes (a full field has no NUL).</summary>
    public static int FieldLength(byte[] bytes, int offset, int size)
    {
        var end = Array.IndexOf(bytes, (byte)0, offset, size);
        return end < 0 ? size : end - offset;
    }
}
