using System;
using System.Text.Json;

namespace OciRegistry.Core.Client;

/// <summary>
/// A token service's answer (https://distribution.github.io/distribution/spec/auth/token/): <c>token</c> or
/// <c>access_token</c>, with <c>expires_in</c> seconds (60 when absent).
/// </summary>
internal sealed record TokenResponse(string Token, TimeSpan ExpiresIn)
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    /// <summary>Parses the body; null when it holds no usable token.</summary>
    public static TokenResponse? Parse(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var token = Text(root, "token") ?? Text(root, "access_token");
            if (token is null || token.Length == 0 || !IsHeaderSafe(token))
            {
                return null;
            }

            var lifetime = root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(Math.Min(seconds, 365L * 24 * 3600))
                : DefaultLifetime;
            return new TokenResponse(token, lifetime);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string holding invalid UTF-8 or a lone surrogate escape ("\uD800").
            return null;
        }
    }

    /// <summary>What a body that <see cref="Parse"/> refused is, in words for an error message.</summary>
    public static string Describe(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body).Trim();
        if (text.Length == 0)
        {
            return "an empty body";
        }

        if (text[0] == '<')
        {
            return "an HTML or XML page";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? "JSON without a usable token or access_token"
                : "JSON that is not an object";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return "text that is not JSON";
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A token goes into a header: visible ASCII only, so a hostile service cannot inject header lines.</summary>
    private static bool IsHeaderSafe(string token)
    {
        foreach (var ch in token)
        {
            if (ch < 0x21 || ch > 0x7E)
            {
                return false;
            }
        }

        return true;
    }
}
