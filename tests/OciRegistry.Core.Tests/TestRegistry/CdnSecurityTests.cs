using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using OciRegistry.TestRegistry;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>
/// The CDN origin is a read-only copy: a signed URL handed out for one read can be used for that read and for
/// nothing else, not for writes, not for another method, and not past the expiry the registry chose.
/// </summary>
public sealed class CdnSecurityTests
{
    [Theory]
    [InlineData("DELETE")]
    [InlineData("PUT")]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public async Task Cdn_WriteThroughASignedManifestUrl_IsRefusedAndChangesNothing(string method)
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Redirect));
        var signed = await SignedUrlAsync(registry, HttpMethod.Get, registry.ManifestPath);

        using var write = new HttpRequestMessage(new HttpMethod(method), signed);
        if (method is "PUT" or "POST" or "PATCH")
        {
            write.Content = new ByteArrayContent("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"""u8.ToArray());
            write.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.index.v1+json");
        }

        using var response = await registry.Http.SendAsync(write);

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow));
        registry.Server.Faults.Clear();
        Assert.Equal(registry.Manifest, await registry.Http.GetByteArrayAsync(registry.ManifestPath));
    }

    [Fact]
    public async Task Cdn_DeleteThroughASignedBlobUrl_IsRefusedAndTheBlobStays()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Redirect));
        var signed = await SignedUrlAsync(registry, HttpMethod.Get, registry.BlobPath);

        using var response = await registry.Http.DeleteAsync(signed);

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UNSUPPORTED");
        Assert.Equal(registry.Blob, await registry.Http.GetByteArrayAsync(signed));
    }

    [Fact]
    public async Task Cdn_ExpiresChosenByTheClient_IsNotSigned()
    {
        var clock = new ManualTimeProvider();
        await using var registry = await RegistryUnderTest.StartAsync(new TestRegistryOptions { TimeProvider = clock }, new FaultRule(FaultKind.Redirect));
        var signed = await SignedUrlAsync(registry, HttpMethod.Get, registry.BlobPath + "?expires=99999999999");

        Assert.Single(QueryValues(signed, "expires"));
        Assert.True(long.Parse(QueryValues(signed, "expires").Single(), System.Globalization.CultureInfo.InvariantCulture) <= (clock.GetUtcNow() + UrlSigner.Lifetime).ToUnixTimeSeconds());
        Assert.Equal(registry.Blob, await registry.Http.GetByteArrayAsync(signed));

        clock.Advance(UrlSigner.Lifetime + TimeSpan.FromSeconds(1));
        using var late = await registry.Http.GetAsync(signed);
        await RegistryAssert.ErrorAsync(late, HttpStatusCode.Forbidden, "DENIED");
    }

    [Fact]
    public async Task Cdn_ASecondExpiresAppendedToASignedUrl_IsRefused()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Redirect));
        var signed = await SignedUrlAsync(registry, HttpMethod.Get, registry.BlobPath);
        var query = signed.Query.TrimStart('?');
        var sig = query.Substring(query.LastIndexOf("&sig=", StringComparison.Ordinal));
        var forged = new Uri(signed, signed.AbsolutePath + "?expires=99999999999&" + query.Substring(0, query.Length - sig.Length) + sig);

        using var response = await registry.Http.GetAsync(forged);

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "DENIED");
    }

    [Fact]
    public async Task Cdn_UrlSignedForHead_DoesNotServeGet()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Redirect));
        var signed = await SignedUrlAsync(registry, HttpMethod.Head, registry.BlobPath);

        using var head = await registry.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, signed));
        using var get = await registry.Http.GetAsync(signed);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        await RegistryAssert.ErrorAsync(get, HttpStatusCode.Forbidden, "DENIED");
    }

    [Fact]
    public async Task Cdn_UrlSignedForOnePath_DoesNotServeAnother()
    {
        await using var registry = await RegistryUnderTest.StartAsync(null, new FaultRule(FaultKind.Redirect));
        var signed = await SignedUrlAsync(registry, HttpMethod.Get, registry.BlobPath);
        var other = new Uri(signed, $"/v2/{RegistryUnderTest.Repository}/blobs/{registry.ConfigDigest}" + signed.Query);

        using var response = await registry.Http.GetAsync(other);

        await RegistryAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "DENIED");
    }

    private static async Task<Uri> SignedUrlAsync(RegistryUnderTest registry, HttpMethod method, string target)
    {
        using var redirect = await registry.Http.SendAsync(new HttpRequestMessage(method, target));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        return redirect.Headers.Location!;
    }

    private static string[] QueryValues(Uri url, string name) =>
        url.Query.TrimStart('?').Split('&').Where(p => p.StartsWith(name + "=", StringComparison.Ordinal)).Select(p => p.Substring(name.Length + 1)).ToArray();
}
