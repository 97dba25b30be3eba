using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.TestRegistry;

/// <summary>
/// Small built-in content for demos and tests, in the repository <see cref="Repository"/>. Every byte is
/// fixed, so the digests are the same on every machine and runtime.
/// </summary>
/// <remarks>
/// Tags: <c>1.0</c> and <c>latest</c> (an OCI index of linux/amd64 and linux/arm64/v8 images), <c>docker</c>
/// (a Docker v2 schema 2 image with a gzip layer) and <c>readme</c> (an OCI artifact whose subject is the
/// linux/amd64 image). Each image has one layer holding <c>hello.txt</c>.
/// </remarks>
public static class SampleContent
{
    /// <summary>The repository the sample content is added to.</summary>
    public const string Repository = "samples/hello";

    /// <summary>The <c>artifactType</c> of the <c>readme</c> artifact.</summary>
    public const string ReadmeArtifactType = "application/vnd.ociregistry.sample.readme";

    private const string Created = "2024-01-01T00:00:00Z";
    private static readonly DateTimeOffset CreatedTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Adds the sample repository, its blobs, manifests and tags to <paramref name="store"/>.</summary>
    public static void AddTo(ContentStore store)
    {
        if (store is null)
        {
            throw new ArgumentNullException(nameof(store));
        }

        var amd64 = AddOciImage(store, new Platform("linux", "amd64"));
        var arm64 = AddOciImage(store, new Platform("linux", "arm64", "v8"));
        var index = JsonContent.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", MediaTypes.OciIndex);
            writer.WriteStartArray("manifests");
            foreach (var image in new[] { amd64, arm64 })
            {
                DescriptorWriter.Write(writer, null, image.MediaType, image.Digest, image.Size, platform: image.Platform);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("annotations");
            writer.WriteString("org.opencontainers.image.created", Created);
            writer.WriteString("org.opencontainers.image.description", "Sample content served by the OciRegistry test registry");
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
        store.AddManifest(Repository, index, MediaTypes.OciIndex, "1.0", "latest");

        AddDockerImage(store);
        AddReadme(store, amd64);
    }

    private static Image AddOciImage(ContentStore store, Platform platform)
    {
        var layer = HelloLayer(platform);
        var image = new ManifestBuilder()
            .SetConfig(MediaTypes.OciConfig, Config(platform, Digest.Compute(layer)))
            .AddLayer(MediaTypes.OciLayerTar, layer, $"hello-{platform.Os}-{platform.Architecture}.tar")
            .Build();
        store.AddManifest(Repository, image);
        return new Image(image.MediaType, image.Digest, image.Size, platform);
    }

    private static void AddDockerImage(ContentStore store)
    {
        var platform = new Platform("linux", "amd64");
        var tar = HelloLayer(platform);

        // diff_ids name the uncompressed layer.
        var image = new ManifestBuilder(MediaTypes.DockerManifest)
            .SetConfig(MediaTypes.DockerConfig, Config(platform, Digest.Compute(tar)))
            .AddLayer(MediaTypes.DockerLayerGzip, StoredGzip.Compress(tar))
            .Build();
        store.AddManifest(Repository, image, "docker");
    }

    // An artifact as image-spec 1.1 describes it: artifactType, the empty config, and a subject.
    // https://github.com/opencontainers/image-spec/blob/main/manifest.md#guidelines-for-artifact-usage
    private static void AddReadme(ContentStore store, Image subject)
    {
        var readme = Encoding.UTF8.GetBytes(
            "# samples/hello\n\nSample content served by the OciRegistry test registry: an OCI index of two images " +
            "(linux/amd64, linux/arm64/v8), a Docker v2 image and this README, attached to the linux/amd64 image.\n");
        var artifact = new ManifestBuilder
        {
            ArtifactType = ReadmeArtifactType,
            Subject = new Descriptor { MediaType = subject.MediaType, Digest = subject.Digest, Size = subject.Size },
            Annotations = { ["org.opencontainers.image.created"] = Created },
        };
        store.AddManifest(Repository, artifact.AddLayer("text/markdown", readme, "README.md").Build(), "readme");
    }

    private static byte[] HelloLayer(Platform platform)
    {
        var text = Encoding.UTF8.GetBytes($"Hello from {Repository}, built for {platform}.\n");
        return TarArchive.Create([new KeyValuePair<string, byte[]>("hello.txt", text)], CreatedTime);
    }

    // https://github.com/opencontainers/image-spec/blob/main/config.md; Docker's image config has the same shape.
    private static byte[] Config(Platform platform, Digest diffId) => JsonContent.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("created", Created);
        writer.WriteString("architecture", platform.Architecture);
        if (platform.Variant is not null)
        {
            writer.WriteString("variant", platform.Variant);
        }

        writer.WriteString("os", platform.Os);
        writer.WriteStartObject("config");
        writer.WriteStartArray("Env");
        writer.WriteStringValue("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        writer.WriteEndArray();
        writer.WriteStartArray("Cmd");
        writer.WriteStringValue("/bin/cat");
        writer.WriteStringValue("/hello.txt");
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartObject("rootfs");
        writer.WriteString("type", "layers");
        writer.WriteStartArray("diff_ids");
        writer.WriteStringValue(diffId.ToString());
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartArray("history");
        writer.WriteStartObject();
        writer.WriteString("created", Created);
        writer.WriteString("created_by", "OciRegistry sample content: COPY hello.txt /");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private sealed record Image(string MediaType, Digest Digest, long Size, Platform Platform);
}
