using System;
using System.Text;
using OciRegistry.Core.Client;

namespace OciRegistry.Core.Tests.Client;

public sealed class RegistryCredentialTests
{
    [Fact]
    public void FromPassword_UserAndPassword_MakesTheBasicParameter()
    {
        var credential = RegistryCredential.FromPassword("user", "p:ss wörd");

        Assert.Equal("user:p:ss wörd", Encoding.UTF8.GetString(Convert.FromBase64String(credential.ToBasicParameter())));
        Assert.False(credential.IsIdentityToken);
    }

    [Fact]
    public void FromPassword_NullPassword_IsEmpty()
    {
        Assert.Equal(string.Empty, RegistryCredential.FromPassword("user", null!).Password);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("us:er")]
    public void FromPassword_UnusableUserName_ThrowsArgumentException(string? username)
    {
        Assert.Throws<ArgumentException>(() => RegistryCredential.FromPassword(username!, "p"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void FromIdentityToken_NoToken_ThrowsArgumentException(string? token)
    {
        Assert.Throws<ArgumentException>(() => RegistryCredential.FromIdentityToken(token!));
    }

    [Fact]
    public void FromIdentityToken_NoUserName_UsesAPlaceholder()
    {
        var credential = RegistryCredential.FromIdentityToken("refresh");

        Assert.True(credential.IsIdentityToken);
        Assert.Equal("<token>", credential.Username);
        Assert.Equal("<token> (identity token hidden)", credential.ToString());
    }
}
