using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using OciRegistry.Core.LocalFiles;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Layout;

/// <summary>
/// Reads an OCI image layout folder (what <c>skopeo copy … oci:DIR:TAG</c> writes) into an
/// <see cref="OciLayoutContent"/>: its manifests, its blob files and its tags, all checked before any is returned.
/// https://github.com/opencontainers/image-spec/blob/main/image-layout.md.
/// </summary>
/// <remarks>
/// File paths are built only from parsed digests (<c>blobs/&lt;algorithm&gt;/&lt;hex&gt;</c>), so no
/// descriptor, however hostile, names a file outside the layout. A layout is read, not followed: <c>oci-layout</c>,
/// <c>index.json</c> and every blob must be a regular file in the layout itself, and <c>blobs</c> and its algorithm
/// folders real folders; a symbolic link (even to a file inside the layout), a hard-linked blob (its content is
/// shared with a path elsewhere), a FIFO, device, socket or folder in their place is refused at load, naming the
/// entry. Manifests are read (capped), verified against their digest and parsed; config and layer blobs are checked
/// for kind and size here but not hashed: whoever serves or copies them hashes them as they are read (the test
/// registry does so on their first GET), so reading a layout with large layers stays quick.
/// </remarks>
public static class OciLayoutReader
{
    /// <summary>The annotation on an <c>index.json</c> entry that names it; skopeo writes the tag there.</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>The only layout version there is.</summary>
    public const string SupportedVersion = "1.0.0";

    /// <summary>
    /// Reads every manifest reachable from the layout's <c>index.json</c> (through nested indexes), and finds the
    /// file of every config and layer they reference; entries of <c>index.json</c> whose
    /// <c>org.opencontainers.image.ref.name</c> is a valid tag become tags.
    /// </summary>
    /// <param name="layoutPath">The layout folder, holding <c>oci-layout</c>, <c>index.json</c> and <c>blobs/</c>.</param>
    /// <returns>What the layout holds, checked as the remarks say.</returns>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <exception cref="OciLayoutException">The folder is not a layout, or a file in it is missing, malformed,
    /// too large, not a regular file of its own, or does not match its digest or size.</exception>
    public static OciLayoutContent Read(string layoutPath)
    {
        if (string.IsNullOrEmpty(layoutPath))
        {
            throw new ArgumentException("the layout path is empty", nameof(layoutPath));
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

        return new OciLayoutContent(root, loader.Manifests, loader.Blobs, tags);
    }

    private static void CheckLayoutFile(string root)
    {
        var bytes = ReadCapped(root, Path.Combine(root, "oci-layout"), "the 'oci-layout' file", Limits.LayoutFileBytes);
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
        var bytes = ReadCapped(root, Path.Combine(root, "index.json"), "'index.json'", Limits.ManifestBytes);
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

    // Reads a whole small file, refusing one past the cap before reading it, and anything but a regular file at the path.
    private static byte[] ReadCapped(string root, string path, string what, long limit)
    {
        try
        {
            // Not followed if a link: unlike a dotfile, a layout is one folder, copied whole. The kind only names
            // the cap's exception, which becomes an OciLayoutException below.
            return RegularFile.ReadAllBytesCapped(path, limit, ContentKind.Manifest, followFinalLink: false);
        }
        catch (ContentTooLargeException e)
        {
            var size = e.Size is { } known ? $"{known} bytes" : "larger than that";
            throw new OciLayoutException(root, $"{what} is {size}, more than the limit of {limit}", e);
        }
        catch (FileLinkRefusedException e)
        {
            throw new OciLayoutException(root, $"{what} is a symbolic link; a layout is read, not followed", e);
        }
        catch (FileNotRegularException e)
        {
            throw new OciLayoutException(root, $"{what} is {e.What}, not a regular file", e);
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

    // A blob's file must be the layout's own: a regular file with no other name, not a link to one.
    private static void CheckBlobFile(string root, FileStatus status, string what)
    {
        if (status.Kind == FileKind.SymbolicLink)
        {
            throw new OciLayoutException(root, $"{what} is a symbolic link; a layout is read, not followed: copy the file into the layout");
        }

        if (status.Kind != FileKind.Regular)
        {
            throw new OciLayoutException(root, $"{what} is {RegularFile.Describe(status.Kind)}, not a regular file");
        }

        if (status.LinkCount > 1)
        {
            throw new OciLayoutException(root, $"{what} has {status.LinkCount} hard links, so a path outside the layout may share its content: copy the file instead of linking it");
        }
    }

    /// <summary>One load: the layout, and the manifests and blob files found so far.</summary>
    private sealed class Loader(string root)
    {
        private readonly HashSet<Digest> _visited = [];
        private readonly List<ManifestDocument> _manifests = [];
        private readonly List<OciLayoutBlob> _blobs = [];
        private readonly HashSet<string> _checkedFolders = new(StringComparer.Ordinal);

        public IReadOnlyList<ManifestDocument> Manifests => _manifests;

        public IReadOnlyList<OciLayoutBlob> Blobs => _blobs;

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
                if (depth >= Limits.MaxIndexDepth)
                {
                    throw new OciLayoutException(root, $"indexes are nested more than {Limits.MaxIndexDepth} deep at {descriptor.Digest}");
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
            var path = BlobPath(descriptor.Digest);
            if (RegularFile.GetStatus(path) is { Kind: not FileKind.Missing } status)
            {
                CheckBlobFile(root, status, what);
            }

            var bytes = ReadCapped(root, path, what, Limits.ManifestBytes);
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
            var status = RegularFile.GetStatus(path);
            if (status.Kind == FileKind.Missing)
            {
                // Foreign (non-distributable) layers live at their URLs, not in the layout.
                if (descriptor.Urls.Count > 0)
                {
                    return;
                }

                throw new OciLayoutException(root, $"the blob {descriptor.Digest} is missing");
            }

            CheckBlobFile(root, status, $"the blob {descriptor.Digest}");
            if (status.Size != descriptor.Size)
            {
                throw new OciLayoutException(root, $"the blob {descriptor.Digest} is {status.Size} bytes, but its descriptor says {descriptor.Size}");
            }

            _blobs.Add(new OciLayoutBlob(descriptor, path));
        }

        // Only ever built from a parsed digest: algorithm and hex digits, no separators, no "..". The folders on the
        // way must be the layout's own, not links to folders elsewhere.
        private string BlobPath(Digest digest)
        {
            CheckFolder("blobs");
            CheckFolder("blobs/" + digest.Algorithm);
            return Path.Combine(root, "blobs", digest.Algorithm, digest.Encoded);
        }

        private void CheckFolder(string name)
        {
            if (!_checkedFolders.Add(name))
            {
                return;
            }

            var kind = RegularFile.GetStatus(Path.Combine(root, name.Replace('/', Path.DirectorySeparatorChar))).Kind;
            if (kind == FileKind.SymbolicLink)
            {
                throw new OciLayoutException(root, $"the folder '{name}' is a symbolic link; a layout is read, not followed");
            }

            if (kind is not (FileKind.Directory or FileKind.Missing))
            {
                throw new OciLayoutException(root, $"'{name}' is {RegularFile.Describe(kind)}, not a folder");
            }
        }
    }
}
