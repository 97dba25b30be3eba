using System.Text;
using OciRegistry.Core.Models;

namespace OciRegistry.Core.Tests.Models;

public sealed class ImageConfigTests
{
    [Theory]
    [InlineData("""{"os":"linux","architecture":"amd64"}""", "linux", "amd64", null, null)]
    [InlineData("""{"architecture":"arm64","variant":"v8","os":"linux","rootfs":{}}""", "linux", "arm64", "v8", null)]
    [InlineData("""{"os":"windows","architecture":"amd64","os.version":"10.0.20348.2113"}""", "windows", "amd64", null, "10.0.20348.2113")]
    [InlineData("""{"os":"linux","architecture":"arm","variant":""}""", "linux", "arm", null, null)]
    public void PlatformOf_Config_ReadsOsArchitectureVariantAndVersion(string json, string os, string architecture, string? variant, string? osVersion)
    {
        var platform = ImageConfig.PlatformOf(Encoding.UTF8.GetBytes(json));

        Assert.NotNull(platform);
        Assert.Equal(os, platform.Os);
        Assert.Equal(architecture, platform.Architecture);
        Assert.Equal(variant, platform.Variant);
        Assert.Equal(osVersion, platform.OsVersion);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("\"linux\"")]
    [InlineData("{}")]
    [InlineData("""{"os":"linux"}""")]
    [InlineData("""{"architecture":"amd64"}""")]
    [InlineData("""{"os":7,"architecture":"amd64"}""")]
    [InlineData("""{"os":"linux","architecture":null}""")]
    [InlineData("""{"os":"\uD800","architecture":"amd64"}""")]
    public void PlatformOf_NoUsablePlatform_IsNull(string json) =>
        Assert.Null(ImageConfig.PlatformOf(Encoding.UTF8.GetBytes(json)));
}
