using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

public sealed class RegistryRouteTests
{
    [Theory]
    [InlineData("/v2/", "Base", "", "")]
    [InlineData("/v2", "Base", "", "")]
    [InlineData("/", "NotFound", "", "")]
    [InlineData("/v2x/", "NotFound", "", "")]
    [InlineData("/v2/alpine/manifests/latest", "Manifest", "alpine", "latest")]
    [InlineData("/v2/a/b/c/manifests/1.0", "Manifest", "a/b/c", "1.0")]
    [InlineData("/v2/manifests/manifests/x", "Manifest", "manifests", "x")]
    [InlineData("/v2/a/blobs/b/manifests/x", "Manifest", "a/blobs/b", "x")]
    [InlineData("/v2/manifests/x", "Manifest", "", "x")]
    [InlineData("/v2/a/blobs/sha256:abc", "Blob", "a", "sha256:abc")]
    [InlineData("/v2/a/blobs/sha256%3Aabc", "Blob", "a", "sha256:abc")]
    [InlineData("/v2/a/blobs/sha256%3A..%2F..%2Fetc", "Blob", "a", "sha256:../../etc")]
    [InlineData("/v2/a/blobs/", "NotFound", "", "")]
    [InlineData("/v2/a/tags/list", "TagList", "a", "")]
    [InlineData("/v2/a/b/tags/list", "TagList", "a/b", "")]
    [InlineData("/v2/tags/list", "NotFound", "", "")]
    [InlineData("/v2//tags/list", "TagList", "", "")]
    [InlineData("/v2/a/blobs/uploads/", "BlobUpload", "a", "")]
    [InlineData("/v2/a/b/blobs/uploads", "BlobUpload", "a/b", "")]
    [InlineData("/v2/a/blobs/uploads/1234-5678", "BlobUpload", "a", "1234-5678")]
    [InlineData("/v2/a/blobs/uploads/1234/5678", "NotFound", "", "")]
    [InlineData("/v2/a/b/referrers/sha256:abc", "Referrers", "a/b", "sha256:abc")]
    [InlineData("/v2/_catalog", "Catalog", "", "")]
    [InlineData("/v2/a/blobs/uploadsx", "Blob", "a", "uploadsx")]
    [InlineData("/v2/a/referrers/sha256:abc", "Referrers", "a", "sha256:abc")]
    [InlineData("/v2/_catalog/", "Catalog", "", "")]
    public void Match_Path_FindsEndpointNameAndReference(string path, string kind, string name, string reference)
    {
        var route = RegistryRoute.Match(path);

        Assert.Equal(Enum.Parse<RegistryRouteKind>(kind), route.Kind);
        Assert.Equal(name, route.Name);
        Assert.Equal(reference, route.Reference);
    }

    [Theory]
    [InlineData("/v2/a/tags/list?n=1&last=b", "/v2/a/tags/list")]
    [InlineData("/v2/#frag", "/v2/")]
    [InlineData("http://127.0.0.1:5000/v2/a/manifests/x?y", "/v2/a/manifests/x")]
    [InlineData("HTTP://host", "/")]
    [InlineData(null, "/")]
    public void PathOf_RawTarget_DropsQueryAndAuthority(string? target, string path)
    {
        Assert.Equal(path, RegistryRoute.PathOf(target));
    }
}
