using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.TestRegistry;

/// <summary>
/// Builds an image manifest (https://github.com/opencontainers/image-spec/blob/main/manifest.md) together with the
/// blobs it references, for <see cref="ContentStore.AddManifest(string, BuiltManifest, string[])"/> to store as they
/// are. Without <see cref="SetConfig"/> the manifest gets the empty config, as an artifact does
/// (https://github.com/opencontainers/image-spec/blob/main/manifest.md#guidelines-for-artifact-usage); with
/// <see cref="ArtifactType"/>, titled layers and a <see cref="Subject"/> it is an artifact the way <c>oras push</c>
/// makes one.
/// </summary>
/// <example><code>
/// var sbom = new ManifestBuilder { ArtifactType = "application/spdx+json", Subject = image };
/// store.AddManifest("samples/hello", sbom.AddLayerFile("application/spdx+json", "sbom.spdx.json").Build());
/// </code></example>
public sealed class ManifestBuilder
{
    private static readonly byte[] EmptyJson = [(byte)'{', (byte)'}'];

    private readonly string _mediaType;
    private readonly List<Layer> _layers = [];
    private (string MediaType, byte[] Content) _config = (MediaTypes.OciEmpty, EmptyJson);
    private string? _artifactType;

    /// <summary>Starts a manifest of <paramref name="mediaType"/>: an OCI image manifest, or a Docker v2 schema 2 one.</summary>
    /// <exception cref="ArgumentException">The media type is empty.</exception>
    public ManifestBuilder(string mediaType = MediaTypes.OciManifest)
    {
        if (string.IsNullOrEmpty(mediaType))
        {
            throw new ArgumentException("a manifest needs a media type", nameof(mediaType));
        }

        _mediaType = mediaType;
    }

    /// <summary>The manifest's <c>artifactType</c>, or null for none.</summary>
    /// <exception cref="ArgumentException">The value is empty.</exception>
    public string? ArtifactType
    {
        get => _artifactType;
        set => _artifactType = value is { Length: 0 } ? throw new ArgumentException("an artifact type cannot be empty", nameof(value)) : value;
    }

    /// <summary>The manifest this one refers to, so that referrers can be tested; null for none.</summary>
    public Descriptor? Subject { get; set; }

    /// <summary>The manifest's annotations, written in ordinal order of their keys.</summary>
    public IDictionary<string, string> Annotations { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Uses a copy of <paramref name="content"/> as the config, instead of the empty one.</summary>
    /// <returns>This builder.</returns>
    public ManifestBuilder SetConfig(string mediaType, byte[] content)
    {
        _config = (RequireMediaType(mediaType), (byte[])(content ?? throw new ArgumentNullException(nameof(content))).Clone());
        return this;
    }

    /// <summary>Adds a layer held in memory (a copy of <paramref name="content"/>), titled with <paramref name="title"/> if it is given.</summary>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The media type is empty, or another layer has the same title.</exception>
    public ManifestBuilder AddLayer(string mediaType, byte[] content, string? title = null)
    {
        RequireMediaType(mediaType);
        if (title is not null)
        {
            RequireNewTitle(title, nameof(title));
        }

        var copy = (byte[])(content ?? throw new ArgumentNullException(nameof(content))).Clone();
        _layers.Add(new Layer(mediaType, title, StoredBlob.InMemory(Digest.Compute(copy), copy)));
        return this;
    }

    /// <summary>
    /// Adds the file at <paramref name="path"/> as a layer titled with its file name
    /// (<c>org.opencontainers.image.title</c>). The file is hashed now and later served from where it is, not copied.
    /// </summary>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The media type is empty, or another layer has the same title.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public ManifestBuilder AddLayerFile(string mediaType, string path)
    {
        RequireMediaType(mediaType);
        var file = new FileInfo(System.IO.Path.GetFullPath(path));
        if (!file.Exists)
        {
            throw new FileNotFoundException($"the file '{file.FullName}' does not exist", file.FullName);
        }

        RequireNewTitle(file.Name, nameof(path));
        Digest digest;
        using (var stream = file.OpenRead())
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[RegistryExchange.ChunkSize];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            digest = Digest.FromHash("sha256", hash.GetHashAndReset());
        }

        _layers.Add(new Layer(mediaType, file.Name, StoredBlob.FromFile(digest, file.Length, file.FullName)));
        return this;
    }

    /// <summary>Writes the manifest as it stands; the builder can go on and build another.</summary>
    public BuiltManifest Build()
    {
        var config = StoredBlob.InMemory(Digest.Compute(_config.Content), _config.Content);
        var content = JsonContent.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", _mediaType);
            if (ArtifactType is not null)
            {
                writer.WriteString("artifactType", ArtifactType);
            }

            DescriptorWriter.Write(writer, "config", _config.MediaType, config.Digest, config.Size);
            writer.WriteStartArray("layers");
            foreach (var layer in _layers)
            {
                DescriptorWriter.Write(writer, null, layer.MediaType, layer.Blob.Digest, layer.Blob.Size, annotations: DescriptorWriter.Title(layer.Title));
            }

            writer.WriteEndArray();
            if (Subject is not null)
            {
                DescriptorWriter.Write(writer, "subject", Subject.MediaType, Subject.Digest, Subject.Size);
            }

            if (Annotations.Count > 0)
            {
                writer.WriteStartObject("annotations");
                foreach (var annotation in Annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(annotation.Key, annotation.Value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        });
        return new BuiltManifest(_mediaType, content, [config, .. _layers.Select(layer => layer.Blob)]);
    }

    private static string RequireMediaType(string mediaType) =>
        string.IsNullOrEmpty(mediaType) ? throw new ArgumentException("a layer or config needs a media type", nameof(mediaType)) : mediaType;

    private void RequireNewTitle(string title, string parameter)
    {
        if (_layers.Any(layer => string.Equals(layer.Title, title, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"two files are named '{title}': layer titles must differ", parameter);
        }
    }

    private sealed record Layer(string MediaType, string? Title, StoredBlob Blob);
}
