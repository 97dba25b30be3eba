using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;

namespace OciRegistry.Commands;

/// <summary>Publish-OciArtifact's -Annotation as the manifest's annotations, with the creation time oras adds.</summary>
/// <remarks>https://github.com/opencontainers/image-spec/blob/main/annotations.md</remarks>
internal static class ArtifactAnnotations
{
    /// <summary>The annotation that says when the artifact was made (RFC 3339).</summary>
    public const string Created = "org.opencontainers.image.created";

    /// <summary>Keys and values as text, plus <see cref="Created"/> (now, in UTC) unless it is given.</summary>
    /// <exception cref="ArgumentException">A key that is empty.</exception>
    public static Dictionary<string, string> From(IDictionary given)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in given)
        {
            var key = entry.Key?.ToString();
            if (string.IsNullOrEmpty(key))
            {
                throw new ArgumentException("-Annotation has an empty key.");
            }

            annotations[key!] = entry.Value?.ToString() ?? string.Empty;
        }

        if (!annotations.ContainsKey(Created))
        {
            annotations[Created] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        return annotations;
    }
}
