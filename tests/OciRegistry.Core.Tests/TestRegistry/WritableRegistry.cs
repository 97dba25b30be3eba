using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.TestRegistry;
using Xunit;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>
/// A fresh, empty, writable registry for one push, discovery or management test, with the raw HTTP steps the
/// distribution-spec conformance suite takes (reggie requests, here HttpClient).
/// </summary>
internal sealed class WritableRegistry : IAsyncDisposable
{
    public const string Name = "conformance/test";

    private WritableRegistry(TestRegistryServer server)
    {
        Server = server;
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(60) };
    }

    public TestRegistryServer Server { get; }

    public HttpClient Http { get; }

    public static async Task<WritableRegistry> StartAsync(TestRegistryOptions? options = null) =>
        new(await TestRegistryServer.StartAsync(options ?? new TestRegistryOptions()));

    public static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>An OCI image manifest over a config and layers, with optional artifactType, subject and one annotation.</summary>
    public static byte[] Manifest((Digest Digest, long Size, string MediaType) config, (Digest Digest, long Size)[] layers, string? artifactType = null, (Digest Digest, long Size)? subject = null, string? annotation = null)
    {
        var builder = new StringBuilder();
        builder.Append($$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}",""");
        if (artifactType is not null)
        {
            builder.Append($$"""
                "artifactType":"{{artifactType}}",
                """);
        }

        builder.Append($$"""
            "config":{"mediaType":"{{config.MediaType}}","digest":"{{config.Digest}}","size":{{config.Size}}},"layers":[
            """);
        for (var i = 0; i < layers.Length; i++)
        {
            builder.Append(i == 0 ? string.Empty : ",").Append($$"""
                {"mediaType":"{{MediaTypes.OciLayerTar}}","digest":"{{layers[i].Digest}}","size":{{layers[i].Size}}}
                """);
        }

        builder.Append(']');
        if (subject is { } s)
        {
            builder.Append($$"""
                ,"subject":{"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{s.Digest}}","size":{{s.Size}}}
                """);
        }

        if (annotation is not null)
        {
            builder.Append($$"""
                ,"annotations":{"org.example.test":"{{annotation}}"}
                """);
        }

        return Encoding.UTF8.GetBytes(builder.Append('}').ToString());
    }

    /// <summary>POST then PUT ?digest= with the body: the two-step monolithic upload.</summary>
    public async Task<Digest> PushBlobAsync(byte[] content, string name = Name)
    {
        var digest = Digest.Compute(content);
        using var post = await Http.PostAsync($"/v2/{name}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        using var put = await Http.PutAsync(Location(post) + "?digest=" + digest, Octets(content));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return digest;
    }

    public async Task<HttpResponseMessage> PutManifestAsync(string reference, byte[] content, string mediaType = MediaTypes.OciManifest, string name = Name)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await Http.PutAsync($"/v2/{name}/manifests/{reference}", body);
    }

    /// <summary>An image of one config and one layer, pushed and tagged; returns its manifest's digest and bytes.</summary>
    public async Task<(Digest Digest, byte[] Content)> PushImageAsync(string tag, string seed, string name = Name)
    {
        var config = Encoding.UTF8.GetBytes($$"""{"architecture":"amd64","os":"linux","seed":"{{seed}}"}""");
        var layer = Encoding.UTF8.GetBytes("layer of " + seed);
        var configDigest = await PushBlobAsync(config, name);
        var layerDigest = await PushBlobAsync(layer, name);
        var manifest = Manifest((configDigest, config.Length, MediaTypes.OciConfig), [(layerDigest, layer.Length)]);
        using var put = await PutManifestAsync(tag, manifest, name: name);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return (Digest.Compute(manifest), manifest);
    }

    public static ByteArrayContent Octets(byte[] content, string? contentRange = null)
    {
        var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (contentRange is not null)
        {
            body.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        }

        return body;
    }

    public static string Location(HttpResponseMessage response) =>
        response.Headers.Location?.OriginalString ?? throw new Xunit.Sdk.XunitException($"the {(int)response.StatusCode} response has no Location");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.StopAsync();
    }
}
