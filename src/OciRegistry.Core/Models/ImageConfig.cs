using System;
using System.Text.Json;

namespace OciRegistry.Core.Models;

/// <summary>
/// Reads what the client needs from an image config (<c>application/vnd.oci.image.config.v1+json</c> or Docker's
/// container config): the platform the image was built for. A config that is not JSON, or does not say, has none.
/// </summary>
/// <remarks>https://github.com/opencontainers/image-spec/blob/main/config.md#properties.</remarks>
internal static class ImageConfig
{
    /// <summary>The platform the config declares (<c>os</c>, <c>architecture</c>, <c>variant</c>, <c>os.version</c>), or null.</summary>
    public static Platform? PlatformOf(byte[] config)
    {
        try
        {
            using var document = JsonDocument.Parse(config);
            var root = document.RootElement;
            string? Text(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var os = Text("os");
            var architecture = Text("architecture");
            return os is null || architecture is null ? null : new Platform(os, architecture, Text("variant"), Text("os.version"));
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // GetString on a string holding invalid UTF-8 or a lone surrogate escape.
            return null;
        }
    }
}
