using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.Layout;

/// <summary>Writes an OCI image layout into a temporary folder, the way skopeo does, one file at a time.</summary>
internal sealed class LayoutBuilder : IDisposable
{
    public LayoutBuilder()
    {
        Root = Path.Combine(Path.GetTempPath(), "ociregistry-layout-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        File.WriteAllText(Path.Combine(Root, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
    }

    public string Root { get; }

    public Entry Blob(byte[] content, string mediaType, string algorithm = "sha256")
    {
        var digest = Digest.Compute(algorithm, content);
        var path = BlobPath(digest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return new Entry(mediaType, digest, content.Length);
    }

    public Entry Blob(string text, string mediaType) => Blob(Encoding.UTF8.GetBytes(text), mediaType);

    /// <summary>An image: a config, one layer and the manifest, all written.</summary>
    public LayoutImage Image(string name, string algorithm = "sha256")
    {
        var config = Blob(Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","name":"{{name}}"}"""), MediaTypes.OciConfig, algorithm);
        var layer = Blob(Encoding.UTF8.GetBytes("layer of " + name), MediaTypes.OciLayerTar, algorithm);
        var manifest = Blob(Encoding.UTF8.GetBytes(ManifestJson(config, layer)), MediaTypes.OciManifest, algorithm);
        return new LayoutImage(manifest, config, layer);
    }

    public Entry Index(params Entry[] entries) => Blob(Encoding.UTF8.GetBytes(IndexJson(entries, withMediaType: true)), MediaTypes.OciIndex);

    /// <summary>Writes index.json as skopeo does: no mediaType, the tag in the ref.name annotation.</summary>
    public void WriteIndexJson(params Entry[] entries) => File.WriteAllText(Path.Combine(Root, "index.json"), IndexJson(entries, withMediaType: false));

    public string BlobPath(Digest digest) => Path.Combine(Root, "blobs", digest.Algorithm, digest.Encoded);

    public static string ManifestJson(Entry config, params Entry[] layers) =>
        $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{{Descriptor(config)}},"layers":[{{string.Join(",", layers.Select(Descriptor))}}]}""";

    public static string IndexJson(IEnumerable<Entry> entries, bool withMediaType) =>
        $$"""{"schemaVersion":2,{{(withMediaType ? $"\"mediaType\":\"{MediaTypes.OciIndex}\"," : "")}}"manifests":[{{string.Join(",", entries.Select(Descriptor))}}]}""";

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private static string Descriptor(Entry entry)
    {
        var extra = new StringBuilder();
        if (entry.RefName is not null)
        {
            extra.Append($$""","annotations":{"org.opencontainers.image.ref.name":"{{entry.RefName}}"}""");
        }

        if (entry.Urls is not null)
        {
            extra.Append($$""","urls":["{{entry.Urls}}"]""");
        }

        return $$"""{"mediaType":"{{entry.MediaType}}","digest":"{{entry.DigestText ?? entry.Digest.ToString()}}","size":{{entry.Size}}{{extra}}}""";
    }

    public sealed record Entry(string MediaType, Digest Digest, long Size)
    {
        public string? RefName { get; init; }

        public string? Urls { get; init; }

        /// <summary>Replaces the digest as written, for hostile input.</summary>
        public string? DigestText { get; init; }

        public Entry Tagged(string name) => this with { RefName = name };
    }

    public sealed record LayoutImage(Entry Manifest, Entry Config, Entry Layer);
}
