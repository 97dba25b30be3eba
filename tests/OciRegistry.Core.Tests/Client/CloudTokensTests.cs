using System;
using System.Text;
using OciRegistry.Core.Client;

namespace OciRegistry.Core.Tests.Client;

public sealed class CloudTokensTests
{
    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("AWS:password", "AWS", "password")]
    [InlineData("AWS:pass:with:colons", "AWS", "pass:with:colons")]
    [InlineData("user:p", "user", "p")]
    public void FromEcrAuthorizationToken_SplitsAtTheFirstColon(string decoded, string user, string password)
    {
        var (u, p) = CloudTokens.FromEcrAuthorizationToken(Base64(decoded));

        Assert.Equal(user, u);
        Assert.Equal(password, p);
    }

    [Fact]
    public void FromEcrAuthorizationToken_TrimsWhitespaceAroundTheToken() =>
        Assert.Equal("AWS", CloudTokens.FromEcrAuthorizationToken(" " + Base64("AWS:x") + "\n").UserName);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not base64!")]
    public void FromEcrAuthorizationToken_NotATokenAtAll_Throws(string token) =>
        Assert.Throws<ArgumentException>(() => CloudTokens.FromEcrAuthorizationToken(token));

    [Theory]
    [InlineData("no-colon")]
    [InlineData(":password")]
    [InlineData("AWS:")]
    public void FromEcrAuthorizationToken_NoUserOrNoPassword_Throws(string decoded) =>
        Assert.Throws<ArgumentException>(() => CloudTokens.FromEcrAuthorizationToken(Base64(decoded)));

    [Fact]
    public void FromEcrAuthorizationToken_Failure_NeverEchoesTheToken()
    {
        var token = Base64("nocolon-secret-value");

        var e = Assert.Throws<ArgumentException>(() => CloudTokens.FromEcrAuthorizationToken(token));

        Assert.DoesNotContain("secret-value", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GoogleUserName_IsWhatGoogleRegistriesTake() => Assert.Equal("oauth2accesstoken", CloudTokens.GoogleUserName);
}
