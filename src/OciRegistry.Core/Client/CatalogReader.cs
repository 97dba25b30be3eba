using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Client;

/// <summary>
/// Reads pages of <c>GET /v2/_catalog</c>: <c>{"repositories":[…]}</c>. Names that are not valid repository names
/// are dropped with a warning rather than handed to scripts that would build references from them.
/// </summary>
/// <remarks>https://distribution.github.io/distribution/spec/api/#catalog (not part of the OCI distribution spec).</remarks>
internal static class CatalogReader
{
    /// <summary>The repository names on one page.</summary>
    public static IReadOnlyList<string> ParsePage(byte[] bytes, Action<string>? warning)
    {
        var names = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new OciException("the catalog is not a JSON object");
            }

            if (!document.RootElement.TryGetProperty("repositories", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                return names;
            }

            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                var name = item.GetString()!;
                if (Reference.IsValidRepository(name))
                {
                    names.Add(name);
                }
                else
                {
                    warning?.Invoke($"The catalog lists '{Printable(name)}', which is not a valid repository name; skipped.");
                }
            }

            return names;
        }
        catch (JsonException e)
        {
            throw new OciException($"the catalog is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", e);
        }
        catch (InvalidOperationException e)
        {
            throw new OciException("the catalog holds text that is not valid Unicode", e);
        }
    }

    private static string Printable(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            if (builder.Length >= 128)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }
}
