using System;
using OciRegistry.Core.Client;

namespace OciRegistry.Core.Tests.Client;

public sealed class UrlRedactorTests
{
    [Theory]
    [InlineData("https://cdn.example/x?X-Amz-Signature=secret&scope=repo", "https://cdn.example/x?X-Amz-Signature=REDACTED&scope=repo")]
    [InlineData("https://auth.example/token?service=registry.example&scope=repository%3Aa%3Apull&account=me", "https://auth.example/token?service=registry.example&scope=repository%3Aa%3Apull&account=REDACTED")]
    [InlineData("https://user:pass@registry.example/v2/", "https://registry.example/v2/")]
    [InlineData("https://user@registry.example:8443/v2/?sig=1", "https://registry.example:8443/v2/?sig=REDACTED")]
    [InlineData("https://registry.example/v2/team/app/manifests/1.0", "https://registry.example/v2/team/app/manifests/1.0")]
    [InlineData("https://cdn.example/x?a=1&b=&c", "https://cdn.example/x?a=REDACTED&b=REDACTED&c")]
    [InlineData("https://cdn.example/x?SCOPE=1", "https://cdn.example/x?SCOPE=REDACTED")]
    [InlineData("https://cdn.example/x?%73cope=kept", "https://cdn.example/x?scope=kept")]
    [InlineData("https://cdn.example/x?sig=1#frag=2", "https://cdn.example/x?sig=REDACTED")]
    [InlineData("https://cdn.example/x?sig=a%26b%3Dc", "https://cdn.example/x?sig=REDACTED")]
    [InlineData("http://127.0.0.1:5000/v2/", "http://127.0.0.1:5000/v2/")]
    public void Redact_AbsoluteUrl_HidesQueryValuesAndUserInfo(string url, string expected)
    {
        Assert.Equal(expected, UrlRedactor.Redact(new Uri(url)));
        Assert.Equal(expected, UrlRedactor.Redact(url));
    }

    [Theory]
    [InlineData("/v2/x/tags/list?n=2&last=b", "/v2/x/tags/list?n=REDACTED&last=REDACTED")]
    [InlineData("/v2/x?token=abc&service=s", "/v2/x?token=REDACTED&service=s")]
    [InlineData("/v2/x", "/v2/x")]
    public void Redact_RelativeUrl_HidesQueryValues(string url, string expected)
    {
        Assert.Equal(expected, UrlRedactor.Redact(new Uri(url, UriKind.Relative)));
        Assert.Equal(expected, UrlRedactor.Redact(url));
    }

    [Fact]
    public void Redact_TextThatIsNoUrl_StillHidesItsQuery()
    {
        Assert.Equal("not a url?secret=REDACTED", UrlRedactor.Redact("not a url?secret=1"));
    }

    [Fact]
    public void Redact_Nothing_IsEmpty()
    {
        Assert.Equal(string.Empty, UrlRedactor.Redact((Uri?)null));
        Assert.Equal(string.Empty, UrlRedactor.Redact((string?)null));
        Assert.Equal(string.Empty, UrlRedactor.Redact(string.Empty));
    }
}
