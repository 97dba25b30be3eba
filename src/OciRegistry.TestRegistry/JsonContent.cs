using System;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OciRegistry.TestRegistry;

/// <summary>Writes compact JSON to bytes without reflection, for response bodies and sample content.</summary>
internal static class JsonContent
{
    // The default encoder escapes '+' (as \u002B), which would put "v1\u002Bjson" into every media type: legal,
    // but not what any registry or tool writes. Nothing here is embedded in HTML.
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Runs <paramref name="write"/> against a fresh writer and returns the UTF-8 bytes.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return buffer.ToArray();
    }
}
