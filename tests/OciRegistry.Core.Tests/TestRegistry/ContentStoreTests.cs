using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

public sealed class ContentStoreTests
{
    private static readonly byte[] Blob = Encoding.ASCII.GetBytes("blob");

    [Fact]
    public void AddBlob_SameContentInTwoRepositories_IsStoredOnceAndServedInBoth()
    {
        var store = new ContentStore();

        var first = store.AddBlob("one", Blob);
        var second = store.AddBlob("two", Blob);

        Assert.Equal(Digest.Compute(Blob), first);
        Assert.Equal(first, second);
        Assert.Same(store.FindBlob("one", first), store.FindBlob("two", first));
        Assert.Null(store.FindBlob("three", first));
        Assert.Equal(["one", "two"], store.Repositories);
    }

    [Fact]
    public void AddBlob_ContentChangedAfterwards_ServesTheOriginal()
    {
        var store = new ContentStore();
        var content = Encoding.ASCII.GetBytes("original");

        var digest = store.AddBlob("repo", content);
        content[0] = (byte)'X';

        Assert.Equal("original", Encoding.ASCII.GetString(store.FindBlob("repo", digest)!.Content!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("a//b")]
    [InlineData("/a")]
    [InlineData("a/")]
    [InlineData("a..b")]
    [InlineData("a b")]
    [InlineData("registry.example.com:5000/a")]
    public void AddBlob_InvalidRepository_ThrowsArgumentException(string repository)
    {
        var store = new ContentStore();

        var error = Assert.Throws<ArgumentException>(() => store.AddBlob(repository, Blob));

        Assert.Equal("repository", error.ParamName);
        Assert.Empty(store.Repositories);
    }

    [Fact]
    public void AddBlobFile_Valid_RecordsPathAndSize()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Blob);
            var store = new ContentStore();
            var digest = Digest.Compute(Blob);

            store.AddBlobFile("repo", digest, Blob.Length, path);

            var blob = store.FindBlob("repo", digest)!;
            Assert.Null(blob.Content);
            Assert.Equal(Path.GetFullPath(path), blob.Path);
            Assert.Equal(Blob.Length, blob.Size);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AddBlobFile_MissingFile_ThrowsFileNotFound()
    {
        var store = new ContentStore();

        Assert.Throws<FileNotFoundException>(() => store.AddBlobFile("repo", Digest.Compute(Blob), 4, Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(-1)]
    public void AddBlobFile_WrongSize_ThrowsArgumentException(long size)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Blob);
            var store = new ContentStore();

            Assert.Throws<ArgumentException>(() => store.AddBlobFile("repo", Digest.Compute(Blob), size, path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AddBlobFile_DigestKnownWithOtherSize_ThrowsArgumentException()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [1, 2, 3]);
            var store = new ContentStore();
            var digest = store.AddBlob("repo", Blob);

            Assert.Throws<ArgumentException>(() => store.AddBlobFile("repo", digest, 3, path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AddManifest_WithTags_ServesExactBytesByTagAndDigest()
    {
        var store = new ContentStore();
        var bytes = Manifest();

        var digest = store.AddManifest("repo", bytes, MediaTypes.OciManifest, "b", "a");

        Assert.Equal(Digest.Compute(bytes), digest);
        Assert.Equal(["a", "b"], store.GetTags("repo"));
        var byTag = store.FindManifest("repo", "a")!;
        Assert.Equal(bytes, byTag.Content);
        Assert.Equal(MediaTypes.OciManifest, byTag.MediaType);
        Assert.Same(byTag, store.FindManifest("repo", digest));
        Assert.Null(store.FindManifest("other", digest));
    }

    [Fact]
    public void AddManifest_NotJson_ThrowsManifestFormatException()
    {
        var store = new ContentStore();

        Assert.Throws<ManifestFormatException>(() => store.AddManifest("repo", Encoding.UTF8.GetBytes("not json"), MediaTypes.OciManifest));
        Assert.Empty(store.Repositories);
    }

    [Theory]
    [InlineData(MediaTypes.OciIndex)]
    [InlineData(MediaTypes.DockerManifest)]
    [InlineData("text/plain")]
    public void AddManifest_MediaTypeDisagreesWithDocument_Throws(string mediaType)
    {
        var store = new ContentStore();

        var error = Record.Exception(() => store.AddManifest("repo", Manifest(), mediaType));

        Assert.True(error is ArgumentException or ManifestFormatException, error?.ToString());
    }

    [Fact]
    public void AddManifest_DocumentWithoutMediaType_TakesTheGivenOne()
    {
        var store = new ContentStore();
        var bytes = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"manifests":[]}""");

        var digest = store.AddManifest("repo", bytes, MediaTypes.OciIndex, "idx");

        Assert.Equal(MediaTypes.OciIndex, store.FindManifest("repo", digest)!.MediaType);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("has:colon")]
    [InlineData("has/slash")]
    public void AddManifest_InvalidTag_ThrowsAndAddsNothing(string tag)
    {
        var store = new ContentStore();

        Assert.Throws<ArgumentException>(() => store.AddManifest("repo", Manifest(), MediaTypes.OciManifest, "ok", tag));

        Assert.Empty(store.Repositories);
    }

    [Fact]
    public void SetTag_MovesAnExistingTag()
    {
        var store = new ContentStore();
        var first = store.AddManifest("repo", Manifest(), MediaTypes.OciManifest, "latest");
        var second = store.AddManifest("repo", Manifest(layerSize: 2), MediaTypes.OciManifest);

        store.SetTag("repo", "latest", second);

        Assert.NotEqual(first, second);
        Assert.Equal(second, store.FindManifest("repo", "latest")!.Digest);
    }

    [Fact]
    public void SetTag_UnknownManifest_ThrowsArgumentException()
    {
        var store = new ContentStore();
        var digest = store.AddManifest("repo", Manifest(), MediaTypes.OciManifest);

        Assert.Throws<ArgumentException>(() => store.SetTag("repo", "t", Digest.Compute(Blob)));
        Assert.Throws<ArgumentException>(() => store.SetTag("elsewhere", "t", digest));
    }

    [Fact]
    public void GetTags_UnknownRepository_IsEmpty()
    {
        Assert.Empty(new ContentStore().GetTags("nothing/here"));
    }

    [Fact]
    public async Task Store_UsedFromManyThreads_KeepsEverything()
    {
        var store = new ContentStore();

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
        {
            for (var j = 0; j < 50; j++)
            {
                var digest = store.AddManifest($"repo{i % 4}", Manifest(layerSize: j), MediaTypes.OciManifest, $"t{i}-{j}");
                store.AddBlob($"repo{i % 4}", [(byte)i, (byte)j]);
                Assert.NotNull(store.FindManifest($"repo{i % 4}", digest));
                _ = store.GetTags($"repo{i % 4}");
            }
        })));

        Assert.Equal(4, store.Repositories.Count);
        Assert.Equal(16 * 50, store.Repositories.Sum(r => store.GetTags(r).Count));
    }

    private static byte[] Manifest(long layerSize = 1) => RegistryFixture.ManifestBytes(Digest.Compute(Blob), Blob.Length, Digest.Compute(Blob), layerSize);
}
