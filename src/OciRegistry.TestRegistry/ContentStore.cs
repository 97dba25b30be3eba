using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OciRegistry.Core.Layout;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.TestRegistry;

/// <summary>
/// What a <see cref="TestRegistryServer"/> serves: repositories with their manifests, tags and blobs.
/// Thread-safe; content may be added while the server runs.
/// </summary>
/// <remarks>
/// Blobs live in one pool, deduplicated by digest, and each repository records which of them it holds: as in
/// a real registry, a blob is only served under a repository it was added to
/// (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-blobs).
/// </remarks>
public sealed class ContentStore
{
    private readonly object _gate = new();
    private readonly Dictionary<Digest, StoredBlob> _blobs = [];
    private readonly Dictionary<string, RepositoryContent> _repositories = new(StringComparer.Ordinal);

    /// <summary>The names of all repositories that hold something, ordinal-sorted.</summary>
    public IReadOnlyCollection<string> Repositories
    {
        get
        {
            lock (_gate)
            {
                return _repositories.Keys.OrderBy(name => name, StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>The tags of <paramref name="repository"/>, ordinal-sorted; empty when the repository is unknown.</summary>
    /// <exception cref="ArgumentException">The repository name is not valid.</exception>
    public IReadOnlyList<string> GetTags(string repository)
    {
        ValidateRepository(repository);
        return FindTags(repository) ?? [];
    }

    /// <summary>Adds a blob held in memory (a copy of <paramref name="content"/>) to <paramref name="repository"/>.</summary>
    /// <returns>The sha256 digest of the content.</returns>
    /// <exception cref="ArgumentException">The repository name is not valid.</exception>
    public Digest AddBlob(string repository, byte[] content)
    {
        ValidateRepository(repository);
        if (content is null)
        {
            throw new ArgumentNullException(nameof(content));
        }

        var copy = (byte[])content.Clone();
        var digest = Digest.Compute(copy);
        AddBlobCore(repository, StoredBlob.InMemory(digest, copy));
        return digest;
    }

    /// <summary>
    /// Adds a blob that is streamed from <paramref name="path"/> on every request. The file is not hashed:
    /// the caller vouches for <paramref name="digest"/>, which is what lets a test serve content whose digest
    /// does not match (a client must notice).
    /// </summary>
    /// <exception cref="ArgumentException">The repository name is not valid, the size is negative, the
    /// file's length differs from <paramref name="size"/>, or the digest is already stored with another size.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public void AddBlobFile(string repository, Digest digest, long size, string path)
    {
        ValidateRepository(repository);
        if (digest is null)
        {
            throw new ArgumentNullException(nameof(digest));
        }

        if (size < 0)
        {
            throw new ArgumentException("the size of a blob cannot be negative", nameof(size));
        }

        if (string.IsNullOrEmpty(path))
        {
            throw new ArgumentException("the path of a blob file is empty", nameof(path));
        }

        var fullPath = System.IO.Path.GetFullPath(path);
        var file = new FileInfo(fullPath);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"the blob file '{fullPath}' does not exist", fullPath);
        }

        if (file.Length != size)
        {
            throw new ArgumentException($"the blob file '{fullPath}' is {file.Length} bytes long, not {size}", nameof(size));
        }

        AddBlobCore(repository, StoredBlob.FromFile(digest, size, fullPath));
    }

    /// <summary>
    /// Adds everything an OCI image layout holds to <paramref name="repository"/>: every manifest reachable from its
    /// <c>index.json</c>, every config and layer they reference, and the tags its entries name. The layout is read
    /// and checked whole (<see cref="OciLayoutReader.Read"/>) before anything is added; blob files are served from
    /// where they are, hashed on their first GET and served only if they match their digest.
    /// </summary>
    /// <param name="layoutPath">The layout folder, holding <c>oci-layout</c>, <c>index.json</c> and <c>blobs/</c>.</param>
    /// <param name="repository">The repository to add the content to.</param>
    /// <returns>The tags that were set, in the order <c>index.json</c> lists them.</returns>
    /// <exception cref="ArgumentException">The path is empty or the repository name is not valid.</exception>
    /// <exception cref="OciLayoutException">The folder is not a usable layout.</exception>
    public IReadOnlyList<string> AddLayout(string layoutPath, string repository)
    {
        ValidateRepository(repository);
        var layout = OciLayoutReader.Read(layoutPath);
        try
        {
            foreach (var manifest in layout.Manifests)
            {
                AddManifestCore(repository, manifest.GetRawContent(), manifest.MediaType, manifest.Digest, []);
            }

            foreach (var blob in layout.Blobs)
            {
                AddBlobCore(repository, StoredBlob.FromLayoutFile(blob.Descriptor.Digest, blob.Descriptor.Size, blob.Path));
            }
        }
        catch (ArgumentException e)
        {
            throw new OciLayoutException(layout.Root, $"the content cannot be served: {e.Message}", e);
        }

        foreach (var tag in layout.Tags)
        {
            SetTag(repository, tag.Key, tag.Value);
        }

        return layout.Tags.Select(tag => tag.Key).ToList();
    }

    /// <summary>
    /// Adds a manifest or index to <paramref name="repository"/> with its exact bytes (copied) and points
    /// <paramref name="tags"/> at it.
    /// </summary>
    /// <param name="repository">The repository, e.g. <c>samples/hello</c>.</param>
    /// <param name="content">The exact bytes to serve; they must parse as the media type.</param>
    /// <param name="mediaType">The media type, served as <c>Content-Type</c>; must agree with the document's own <c>mediaType</c>.</param>
    /// <param name="tags">Tags to point at the manifest, moving them if they already exist.</param>
    /// <returns>The sha256 digest of the content.</returns>
    /// <exception cref="ArgumentException">The repository name, a tag or the media type is not valid.</exception>
    /// <exception cref="ManifestFormatException">The content is not a manifest this module can parse.</exception>
    public Digest AddManifest(string repository, byte[] content, string mediaType, params string[] tags) =>
        AddManifestCopy(repository, content, mediaType, tags, validate: true);

    /// <summary>
    /// Adds bytes to serve as a manifest exactly as given, without parsing them: for testing how clients cope with
    /// malformed, oversized or unsupported manifests (Docker schema 1, say).
    /// </summary>
    /// <returns>The sha256 digest of the content.</returns>
    public Digest AddUncheckedManifest(string repository, byte[] content, string mediaType, params string[] tags) =>
        AddManifestCopy(repository, content, mediaType, tags, validate: false);

    /// <summary>
    /// Adds a manifest from a <see cref="ManifestBuilder"/> to <paramref name="repository"/> with every blob it
    /// references, and points <paramref name="tags"/> at it. Nothing is stored when the repository name or a tag is
    /// not valid.
    /// </summary>
    /// <returns>The manifest as stored.</returns>
    /// <exception cref="ArgumentException">The repository name or a tag is not valid, or a blob's digest is already
    /// stored with another size.</exception>
    public ImageManifest AddManifest(string repository, BuiltManifest manifest, params string[] tags)
    {
        ValidateRepository(repository);
        if (manifest is null)
        {
            throw new ArgumentNullException(nameof(manifest));
        }

        tags ??= [];
        foreach (var tag in tags)
        {
            ValidateTag(tag);
        }

        foreach (var blob in manifest.Blobs)
        {
            AddBlobCore(repository, blob);
        }

        return (ImageManifest)AddManifestCore(repository, manifest.Content, manifest.MediaType, manifest.Digest, tags)!;
    }

    /// <summary>A descriptor of the manifest with <paramref name="digest"/> in <paramref name="repository"/>, or null.</summary>
    public Descriptor? DescribeManifest(string repository, Digest digest)
    {
        var manifest = FindManifest(repository, digest);
        return manifest is null ? null : new Descriptor { MediaType = manifest.MediaType, Digest = manifest.Digest, Size = manifest.Content.LongLength };
    }

    /// <summary>Points <paramref name="tag"/> in <paramref name="repository"/> at a manifest already added there.</summary>
    /// <exception cref="ArgumentException">The repository name or tag is not valid, or the repository holds no
    /// manifest with that digest.</exception>
    public void SetTag(string repository, string tag, Digest manifestDigest)
    {
        ValidateRepository(repository);
        ValidateTag(tag);
        if (manifestDigest is null)
        {
            throw new ArgumentNullException(nameof(manifestDigest));
        }

        lock (_gate)
        {
            if (!_repositories.TryGetValue(repository, out var content) || !content.Manifests.ContainsKey(manifestDigest))
            {
                throw new ArgumentException($"the repository '{repository}' holds no manifest {manifestDigest}", nameof(manifestDigest));
            }

            content.Tags[tag] = manifestDigest;
        }
    }

    /// <summary>
    /// Adds a manifest whose digest the caller has already computed (and verified), so a layout can bring
    /// sha512 content. The bytes are kept as they are, not copied.
    /// </summary>
    internal ManifestDocument? AddManifestCore(string repository, byte[] content, string mediaType, Digest digest, IReadOnlyCollection<string> tags, bool validate = true)
    {
        ValidateRepository(repository);
        if (string.IsNullOrEmpty(mediaType))
        {
            throw new ArgumentException("a manifest needs a media type", nameof(mediaType));
        }

        foreach (var tag in tags)
        {
            ValidateTag(tag);
        }

        var parsed = validate ? ManifestParser.Parse(content, mediaType, digest) : null;
        if (parsed is not null && !string.Equals(parsed.MediaType, mediaType, StringComparison.Ordinal))
        {
            throw new ArgumentException($"the manifest says its media type is '{parsed.MediaType}', not '{mediaType}'", nameof(mediaType));
        }

        var manifest = new StoredManifest(digest, mediaType, content, parsed);
        lock (_gate)
        {
            var repositoryContent = GetOrAddRepository(repository);
            repositoryContent.Manifests[digest] = manifest;
            foreach (var tag in tags)
            {
                repositoryContent.Tags[tag] = digest;
            }
        }

        return parsed;
    }

    /// <summary>
    /// Removes the manifest with <paramref name="digest"/> from <paramref name="repository"/>, and every tag that
    /// pointed at it.
    /// </summary>
    /// <returns>Whether the repository held it.</returns>
    public bool DeleteManifest(string repository, Digest digest)
    {
        ValidateRepository(repository);
        lock (_gate)
        {
            if (!_repositories.TryGetValue(repository, out var content) || !content.Manifests.Remove(digest))
            {
                return false;
            }

            foreach (var tag in content.Tags.Where(t => t.Value == digest).Select(t => t.Key).ToList())
            {
                content.Tags.Remove(tag);
            }

            return true;
        }
    }

    /// <summary>Removes <paramref name="tag"/> from <paramref name="repository"/>; the manifest stays, by digest.</summary>
    /// <returns>Whether the tag existed.</returns>
    public bool DeleteTag(string repository, string tag)
    {
        ValidateRepository(repository);
        lock (_gate)
        {
            return _repositories.TryGetValue(repository, out var content) && content.Tags.Remove(tag);
        }
    }

    /// <summary>Removes the blob with <paramref name="digest"/> from <paramref name="repository"/>; other repositories keep theirs.</summary>
    /// <returns>Whether the repository held it.</returns>
    public bool DeleteBlob(string repository, Digest digest)
    {
        ValidateRepository(repository);
        lock (_gate)
        {
            return _repositories.TryGetValue(repository, out var content) && content.Blobs.Remove(digest);
        }
    }

    /// <summary>
    /// Makes a blob that <paramref name="from"/> holds available in <paramref name="repository"/> too, without copying
    /// it: a cross-repository mount.
    /// </summary>
    /// <returns>Whether <paramref name="from"/> held the blob.</returns>
    internal bool MountBlob(string from, string repository, Digest digest)
    {
        lock (_gate)
        {
            if (!_repositories.TryGetValue(from, out var source) || !source.Blobs.Contains(digest) || !_blobs.ContainsKey(digest))
            {
                return false;
            }

            GetOrAddRepository(repository).Blobs.Add(digest);
            return true;
        }
    }

    /// <summary>Stores a manifest a client pushed (parsed and checked by the caller) and points <paramref name="tag"/> at it.</summary>
    internal void AddPushedManifest(string repository, ManifestDocument document, byte[] content, string? tag)
    {
        var manifest = new StoredManifest(document.Digest, document.MediaType, content, document);
        lock (_gate)
        {
            var repositoryContent = GetOrAddRepository(repository);
            repositoryContent.Manifests[manifest.Digest] = manifest;
            if (tag is not null)
            {
                repositoryContent.Tags[tag] = manifest.Digest;
            }
        }
    }

    /// <summary>Adds a blob a client pushed (its digest already verified).</summary>
    /// <returns>False when the pool already held the digest, so the new copy is not used.</returns>
    internal bool AddPushedBlob(string repository, StoredBlob blob)
    {
        lock (_gate)
        {
            var isNew = !_blobs.ContainsKey(blob.Digest);
            AddBlobCore(repository, blob);
            return isNew;
        }
    }

    /// <summary>The manifests of <paramref name="repository"/> whose subject is <paramref name="subject"/>, by digest.</summary>
    internal IReadOnlyList<StoredManifest> FindReferrers(string repository, Digest subject)
    {
        lock (_gate)
        {
            return _repositories.TryGetValue(repository, out var content)
                ? content.Manifests.Values.Where(m => m.Subject == subject).OrderBy(m => m.Digest.ToString(), StringComparer.Ordinal).ToArray()
                : [];
        }
    }

    /// <summary>Whether anything was added under <paramref name="repository"/>.</summary>
    internal bool ContainsRepository(string repository)
    {
        lock (_gate)
        {
            return _repositories.ContainsKey(repository);
        }
    }

    /// <summary>The manifest a tag points at, or null.</summary>
    internal StoredManifest? FindManifest(string repository, string tag)
    {
        lock (_gate)
        {
            return _repositories.TryGetValue(repository, out var content) &&
                content.Tags.TryGetValue(tag, out var digest) &&
                content.Manifests.TryGetValue(digest, out var manifest)
                ? manifest
                : null;
        }
    }

    /// <summary>The manifest with <paramref name="digest"/> in <paramref name="repository"/>, or null.</summary>
    internal StoredManifest? FindManifest(string repository, Digest digest)
    {
        lock (_gate)
        {
            return _repositories.TryGetValue(repository, out var content) && content.Manifests.TryGetValue(digest, out var manifest)
                ? manifest
                : null;
        }
    }

    /// <summary>
    /// The blob with <paramref name="digest"/> if <paramref name="repository"/> holds it. A manifest is not a blob
    /// unless it was also pushed as one: the reference registry answers a blob request for a manifest's digest
    /// with 404 BLOB_UNKNOWN, and a client tested here must meet the same.
    /// </summary>
    internal StoredBlob? FindBlob(string repository, Digest digest)
    {
        lock (_gate)
        {
            if (!_repositories.TryGetValue(repository, out var content))
            {
                return null;
            }

            return content.Blobs.Contains(digest) && _blobs.TryGetValue(digest, out var blob) ? blob : null;
        }
    }

    /// <summary>The tags of <paramref name="repository"/>, ordinal-sorted, or null when it is unknown.</summary>
    internal IReadOnlyList<string>? FindTags(string repository)
    {
        lock (_gate)
        {
            return _repositories.TryGetValue(repository, out var content)
                ? content.Tags.Keys.OrderBy(tag => tag, StringComparer.Ordinal).ToArray()
                : null;
        }
    }

    private Digest AddManifestCopy(string repository, byte[] content, string mediaType, string[]? tags, bool validate)
    {
        if (content is null)
        {
            throw new ArgumentNullException(nameof(content));
        }

        var copy = (byte[])content.Clone();
        var digest = Digest.Compute(copy);
        AddManifestCore(repository, copy, mediaType, digest, tags ?? [], validate);
        return digest;
    }

    private void AddBlobCore(string repository, StoredBlob blob)
    {
        // Recursive when called from AddPushedBlob, which Monitor allows.
        lock (_gate)
        {
            if (_blobs.TryGetValue(blob.Digest, out var existing))
            {
                if (existing.Size != blob.Size)
                {
                    throw new ArgumentException($"the blob {blob.Digest} is already stored with a size of {existing.Size} bytes, not {blob.Size}");
                }
            }
            else
            {
                _blobs.Add(blob.Digest, blob);
            }

            GetOrAddRepository(repository).Blobs.Add(blob.Digest);
        }
    }

    private RepositoryContent GetOrAddRepository(string repository)
    {
        if (!_repositories.TryGetValue(repository, out var content))
        {
            content = new RepositoryContent();
            _repositories.Add(repository, content);
        }

        return content;
    }

    private static void ValidateRepository(string repository)
    {
        if (!Reference.IsValidRepository(repository))
        {
            throw new ArgumentException(
                $"'{repository}' is not a valid repository name: lowercase path components of letters and digits, separated by '/', '.', '_', '__' or '-'",
                nameof(repository));
        }
    }

    private static void ValidateTag(string tag)
    {
        if (!Reference.IsValidTag(tag))
        {
            throw new ArgumentException(
                $"'{tag}' is not a valid tag: 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'",
                nameof(tag));
        }
    }

    private sealed class RepositoryContent
    {
        public HashSet<Digest> Blobs { get; } = [];

        public Dictionary<Digest, StoredManifest> Manifests { get; } = [];

        public Dictionary<string, Digest> Tags { get; } = new(StringComparer.Ordinal);
    }
}
