using System;
using System.Collections.Generic;
using System.Text.Json;

namespace OciRegistry.Core.Client;

/// <summary>Reads pages of <c>GET /v2/&lt;name&gt;/tags/list</c>: <c>{"name":"…","tags":[…]}</c>.</summary>
/// <remarks>https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags.</remarks>
internal static class TagListReader
{
    /// <summary>The tags on one page; a page without a <c>tags</c> array has none.</summary>
    public static IReadOnlyList<string> ParsePage(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var tags = new List<string>();
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new OciException("the tag list is not a JSON object");
            }

            if (document.RootElement.TryGetProperty("tags", out var array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in array.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        tags.Add(item.GetString()!);
                    }
                }
            }

            return tags;
        }
        catch (JsonException e)
        {
            throw new OciException($"the tag list is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // GetString on a string holding invalid UTF-8 or a lone surrogate escape ("\uD800").
            throw new OciException("the tag list holds text that is not valid Unicode", e);
        }
    }
}
