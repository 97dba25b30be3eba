using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Core.TestRegistry;

namespace OciRegistry.Core.Layout;

/// <summary>
/// Reads an OCI image layout folder (what <c>skopeo copy … oci:DIR:TAG</c> writes) into a
/// <see cref="ContentStore"/>. https://github.com/opencontainers/image-spec/blob/main/image-layout.md.
/// </summary>
/// <remarks>
/// File paths are built only from parsed digests (<c>blobs/&lt;algorithm&gt;/&lt;hex&gt;</c>), so no
/// descriptor, however hostile, names a file outside the layout. Manifests are read (capped), verified against
/// their digest and parsed; config and layer blobs are only checked for existence and size and are served
/// from disk, unhashed, so loading a layout with large layers stays quick.
/// </remarks>
public static class OciLayoutReader
{
    /// <summary>The annotation on an <c>index.json</c> entry that names it; skopeo writes the tag there.</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>The only layout version there is.</summary>
    public const string SupportedVersion = "1.0.0";

    /// <summary>Manifests and indexes: 4 MiB, the size the distribution spec asks registries to accept.</summary>
    private const long MaxManifestBytes = 4L * 1024 * 1024;

    private const long MaxLayoutFileBytes = 64 * 1024;
    private const int MaxIndexDepth = 8;

    /// <summary>
    /// Registers every manifest reachable from the layout's <c>index.json</c> (through nested indexes), and every
    /// config and layer they reference, under <paramref name="repository"/>; entries of <c>index.json</c> whose
    /// <c>org.opencontainers.image.ref.name</c> is a valid tag become tags.
    /// </summary>
    /// <param name="layoutPath">The layout folder, holding <c>oci-layout</c>, <c>index.json</c> and <c>blobs/</c>.</param>
    /// <param name="repository">The repository to add the content to.</param>
    /// <param name="store">The store to add it to.</param>
    /// <returns>The tags that were set, in the order <c>index.json</c> lists them.</returns>
    /// <exception cref="ArgumentException">The path is empty or the repository name is not valid.</exception>
    /// <exception cref="OciLayoutException">The folder is not a layout, or a file in it is missing, malformed,
    /// too large, or does not match its digest or size.</exception>
    public static IReadOnlyList<string> Load(string layoutPath, string repository, ContentStore store)
    {
        if (string.IsNullOrEmpty(layoutPath))
        {
            throw new ArgumentException("the layout path is empty", nameof(layoutPath));
        }

        if (!Reference.IsValidRepository(repository))
        {
            throw new ArgumentException($"'{repository}' is not a valid repository name", nameof(repository));
        }

        if (store is null)
        {
            throw new ArgumentNullException(nameof(store));
        }

        var root = Path.GetFullPath(layoutPath);
        if (!Directory.Exists(root))
        {
            throw new OciLayoutException(root, "the folder does not exist");
        }

        CheckLayoutFile(root);
        var index = ReadIndex(root);
        var loader = new Loader(root);
        var tags = new List<KeyValuePair<string, Digest>>();
        foreach (var descriptor in index.Manifests)
        {
            loader.Register(descriptor, depth: 1);
            if (descriptor.Annotations.TryGetValue(RefNameAnnotation, out var name) && Reference.IsValidTag(name) &&
                IsManifestOrIndex(descriptor.MediaType))
            {
                tags.RemoveAll(tag => tag.Key == name);
                tags.Add(new KeyValuePair<string, Digest>(name, descriptor.Digest));
            }
        }

        // Nothing reaches the store until the whole layout has been checked.
        loader.AddTo(store, repository);
        foreach (var tag in tags)
        {
            store.SetTag(repository, tag.Key, tag.Value);
        }

        return tags.Select(tag => tag.Key).ToList();
    }

    private static void CheckLayoutFile(string root)
    {
        var bytes = ReadCapped(root, Path.Combine(root, "oci-layout"), "the 'oci-layout' file", MaxLayoutFileBytes);
        string? version;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            version = document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("imageLayoutVersion", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException e)
        {
            throw new OciLayoutException(root, "the 'oci-layout' file is not valid JSON", e);
        }

        if (version != SupportedVersion)
        {
            throw new OciLayoutException(root, $"the 'oci-layout' file must say \"imageLayoutVersion\": \"{SupportedVersion}\"");
        }
    }

    private static ImageIndex ReadIndex(string root)
    {
        var bytes = ReadCapped(root, Path.Combine(root, "index.json"), "'index.json'", MaxManifestBytes);
        try
        {
            return ManifestParser.Parse(bytes, MediaTypes.OciIndex) as ImageIndex
                ?? throw new OciLayoutException(root, "'index.json' is not an image index");
        }
        catch (ManifestFormatException e)
        {
            throw new OciLayoutException(root, "'index.json' is malformed: " + e.Message, e);
        }
    }

    private static bool IsManifestOrIndex(string mediaType) => MediaTypes.IsIndex(mediaType) || MediaTypes.IsManifest(mediaType);

    // Reads a whole small file, refusing one past the cap before reading it.
    private static byte[] ReadCapped(string root, string path, string what, long limit)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > limit)
            {
                throw new OciLayoutException(root, $"{what} is {stream.Length} bytes, more than the limit of {limit}");
            }

            var bytes = new byte[stream.Length];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = stream.Read(bytes, read, bytes.Length - read);
                if (n == 0)
                {
                    throw new OciLayoutException(root, $"{what} became shorter while it was read");
                }

                read += n;
            }

            return bytes;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new OciLayoutException(root, $"{what} is missing", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OciLayoutException(root, $"{what} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>One load: the layout, and the manifests and blob files found so far.</summary>
    private sealed class Loader(string root)
    {
        private readonly HashSet<Digest> _visited = [];
        private readonly List<ManifestDocument> _manifests = [];
        private readonly List<KeyValuePair<Descriptor, string>> _blobs = [];

        public void AddTo(ContentStore store, string repository)
        {
            try
            {
                foreach (var manifest in _manifests)
                {
                    store.AddManifestCore(repository, manifest.GetRawContent(), manifest.MediaType, manifest.Digest, []);
                }

                foreach (var blob in _blobs)
                {
                    store.AddBlobFile(repository, blob.Key.Digest, blob.Key.Size, blob.Value);
                }
            }
            catch (ArgumentException e)
            {
                throw new OciLayoutException(root, $"the content cannot be served: {e.Message}", e);
            }
        }

        public void Register(Descriptor descriptor, int depth)
        {
            if (!_visited.Add(descriptor.Digest))
            {
                return;
            }

            if (!IsManifestOrIndex(descriptor.MediaType))
            {
                RegisterBlob(descriptor);
                return;
            }

            var document = ReadManifest(descriptor);
            if (document is ImageIndex index)
            {
                if (depth >= MaxIndexDepth)
                {
                    throw new OciLayoutException(root, $"indexes are nested more than {MaxIndexDepth} deep at {descriptor.Digest}");
                }

                foreach (var child in index.Manifests)
                {
                    Register(child, depth + 1);
                }
            }
            else if (document is ImageManifest manifest)
            {
                RegisterBlob(manifest.Config);
                foreach (var layer in manifest.Layers)
                {
                    RegisterBlob(layer);
                }
            }
        }

        private ManifestDocument ReadManifest(Descriptor descriptor)
        {
            var what = $"the manifest {descriptor.Digest}";
            var bytes = ReadCapped(root, BlobPath(descriptor.Digest), what, MaxManifestBytes);
            if (bytes.Length != descriptor.Size)
            {
                throw new OciLayoutException(root, $"{what} is {bytes.Length} bytes, but its descriptor says {descriptor.Size}");
            }

            var actual = descriptor.Digest.ComputeSame(bytes);
            if (actual != descriptor.Digest)
            {
                throw new OciLayoutException(root, $"{what} does not match its digest (the file hashes to {actual})");
            }

            try
            {
                var document = ManifestParser.Parse(bytes, descriptor.MediaType, descriptor.Digest);
                _manifests.Add(document);
                return document;
            }
            catch (ManifestFormatException e)
            {
                throw new OciLayoutException(root, $"{what} is malformed: {e.Message}", e);
            }
        }

        private void RegisterBlob(Descriptor descriptor)
        {
            if (!_visited.Add(descriptor.Digest))
            {
                return;
            }

            var path = BlobPath(descriptor.Digest);
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                // Foreign (non-distributable) layers live at their URLs, not in the layout.
                if (descriptor.Urls.Count > 0)
                {
                    return;
                }

                throw new OciLayoutException(root, $"the blob {descriptor.Digest} is missing");
            }

            if (file.Length != descriptor.Size)
            {
                throw new OciLayoutException(root, $"the blob {descriptor.Digest} is {file.Length} bytes, but its descriptor says {descriptor.Size}");
            }

            _blobs.Add(new KeyValuePair<Descriptor, string>(descriptor, path));
        }

        // Only ever built from a parsed digest: algorithm and hex digits, no separators, no "..".
        private string BlobPath(Digest digest) => Path.Combine(root, "blobs", digest.Algorithm, digest.Encoded);
    }
}
