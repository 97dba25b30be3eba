using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Client;

/// <summary>Bearer and Basic challenges, token caching and refresh, through <see cref="RegistryClient.GetManifestAsync"/>.</summary>
public sealed class AuthenticationTests
{
    private const string Challenge = BearerRegistry.DefaultChallenge;

    private static readonly Reference App = Reference.Parse(TestClient.Registry + "/team/app:1.0");

    [Fact]
    public async Task GetManifestAsync_BearerChallenge_FetchesTokenForTheScopeAndRetriesWithIt()
    {
        var registry = new BearerRegistry();
        using var client = TestClient.Create(registry.Stub);

        await client.GetManifestAsync(App);

        var requests = registry.Stub.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Null(requests[0].Authorization);
        Assert.Equal(HttpMethod.Get, requests[1].Method);
        Assert.Equal("https://auth.example/token", requests[1].Uri.GetLeftPart(UriPartial.Path));
        Assert.Equal("registry.example", requests[1].Query["service"]);
        Assert.Equal("repository:team/app:pull", requests[1].Query["scope"]);
        Assert.Null(requests[1].Authorization);
        Assert.Equal("Bearer t1", requests[2].Authorization);
        Assert.Equal(requests[0].Uri, requests[2].Uri);
    }

    [Fact]
    public async Task GetManifestAsync_ChallengeNamesAScope_AsksForThatScope()
    {
        var registry = new BearerRegistry { Challenge = Challenge + ",scope=\"repository:team/app:pull,push\"" };
        using var client = TestClient.Create(registry.Stub);

        await client.GetManifestAsync(App);

        Assert.Equal("repository:team/app:pull,push", registry.TokenRequests.Single().Query["scope"]);
    }

    [Fact]
    public async Task GetManifestAsync_RealmWithQuery_KeepsItAndAddsServiceAndScope()
    {
        var registry = new BearerRegistry { Challenge = "Bearer realm=\"https://auth.example/token?account=me\",service=\"svc\"" };
        using var client = TestClient.Create(registry.Stub);

        await client.GetManifestAsync(App);

        var query = registry.TokenRequests.Single().Query;
        Assert.Equal("me", query["account"]);
        Assert.Equal("svc", query["service"]);
        Assert.Equal("repository:team/app:pull", query["scope"]);
    }

    [Fact]
    public async Task GetManifestAsync_SecondRequestForSameRepository_ReusesTheCachedToken()
    {
        var registry = new BearerRegistry();
        using var client = TestClient.Create(registry.Stub);

        await client.GetManifestAsync(App);
        await client.GetManifestAsync(App);

        Assert.Single(registry.TokenRequests);
        Assert.Equal(4, registry.Stub.Requests.Count);
        Assert.Equal("Bearer t1", registry.Stub.Requests[3].Authorization);
    }

    [Fact]
    public async Task GetManifestAsync_OtherRepository_FetchesATokenForItsOwnScope()
    {
        var registry = new BearerRegistry();
        using var client = TestClient.Create(registry.Stub);

        await client.GetManifestAsync(App);
        await client.GetManifestAsync(Reference.Parse(TestClient.Registry + "/team/other:1"));

        Assert.Equal(["repository:team/app:pull", "repository:team/other:pull"], registry.TokenRequests.Select(r => r.Query["scope"]).ToArray());
    }

    [Fact]
    public async Task GetManifestAsync_BeforeExpiry_KeepsTheToken()
    {
        var registry = new BearerRegistry();
        var time = new ManualTimeProvider();
        using var client = TestClient.Create(registry.Stub, time);

        await client.GetManifestAsync(App);
        time.Advance(TimeSpan.FromSeconds(280));
        await client.GetManifestAsync(App);

        Assert.Single(registry.TokenRequests);
    }

    [Fact]
    public async Task GetManifestAsync_AfterExpiry_FetchesANewToken()
    {
        var registry = new BearerRegistry();
        var time = new ManualTimeProvider();
        using var client = TestClient.Create(registry.Stub, time);

        await client.GetManifestAsync(App);
        time.Advance(TimeSpan.FromSeconds(300));
        await client.GetManifestAsync(App);

        Assert.Equal(2, registry.TokenRequests.Count);
        Assert.Null(registry.Stub.Requests[3].Authorization);
        Assert.Equal("Bearer t2", registry.Stub.Requests.Last().Authorization);
    }

    [Fact]
    public async Task GetManifestAsync_NoExpiresIn_AssumesSixtySeconds()
    {
        var registry = new BearerRegistry { TokenBody = n => $$"""{"token":"t{{n}}"}""" };
        var time = new ManualTimeProvider();
        using var client = TestClient.Create(registry.Stub, time);

        await client.GetManifestAsync(App);
        time.Advance(TimeSpan.FromSeconds(30));
        await client.GetManifestAsync(App);
        time.Advance(TimeSpan.FromSeconds(30));
        await client.GetManifestAsync(App);

        Assert.Equal(2, registry.TokenRequests.Count);
    }

    [Fact]
    public async Task GetManifestAsync_CachedTokenRevoked_DropsItAndFetchesAFreshOne()
    {
        var registry = new BearerRegistry();
        using var client = TestClient.Create(registry.Stub);
        await client.GetManifestAsync(App);

        registry.Valid.Clear();
        await client.GetManifestAsync(App);

        var requests = registry.Stub.Requests;
        Assert.Equal(2, registry.TokenRequests.Count);
        Assert.Equal("Bearer t1", requests[3].Authorization);
        Assert.Equal("Bearer t2", requests[5].Authorization);
        Assert.Equal(6, requests.Count);
    }

    [Fact]
    public async Task GetManifestAsync_FreshTokenAlsoRefused_ThrowsAuthenticationErrorWithoutLooping()
    {
        var registry = new BearerRegistry { AcceptTokens = false };
        using var client = TestClient.Create(registry.Stub);

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetManifestAsync(App));

        Assert.Equal(401, e.StatusCode);
        Assert.Single(registry.TokenRequests);
        Assert.Equal(3, registry.Stub.Requests.Count);
    }

    [Fact]
    public async Task GetManifestAsync_AccessTokenField_IsAccepted()
    {
        var registry = new BearerRegistry { TokenBody = n => $$"""{"access_token":"t{{n}}","expires_in":300}""" };
        using var client = TestClient.Create(registry.Stub);

        await client.GetManifestAsync(App);

        Assert.Equal("Bearer t1", registry.Stub.Requests.Last().Authorization);
    }

    [Fact]
    public async Task GetManifestAsync_PasswordCredential_SendsBasicToTheTokenRealmOnly()
    {
        var registry = new BearerRegistry();
        using var client = TestClient.Create(registry.Stub, configure: o => o.Credential = RegistryCredential.FromPassword("user", "pa:ss"));

        await client.GetManifestAsync(App);

        var authorization = registry.TokenRequests.Single().Authorization;
        Assert.StartsWith("Basic ", authorization, StringComparison.Ordinal);
        Assert.Equal("user:pa:ss", Encoding.UTF8.GetString(Convert.FromBase64String(authorization!["Basic ".Length..])));
        Assert.All(registry.Stub.Requests.Where(r => r.Uri.Host == TestClient.Registry), r => Assert.DoesNotContain("Basic", r.Authorization ?? string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetManifestAsync_IdentityTokenCredential_PostsARefreshTokenGrant()
    {
        var registry = new BearerRegistry();
        using var client = TestClient.Create(registry.Stub, configure: o => o.Credential = RegistryCredential.FromIdentityToken("refresh-secret", "someone"));

        await client.GetManifestAsync(App);

        var token = registry.TokenRequests.Single();
        Assert.Equal(HttpMethod.Post, token.Method);
        Assert.Null(token.Authorization);
        Assert.Equal("application/x-www-form-urlencoded", token.ContentType);
        var form = token.Body!.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
        Assert.Equal("refresh_token", form["grant_type"]);
        Assert.Equal("refresh-secret", form["refresh_token"]);
        Assert.Equal("registry.example", form["service"]);
        Assert.Equal("repository:team/app:pull", form["scope"]);
        Assert.True(form.ContainsKey("client_id"));
        Assert.Equal("Bearer t1", registry.Stub.Requests.Last().Authorization);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task GetManifestAsync_TokenServiceRefuses_ThrowsAuthenticationError(int status)
    {
        var registry = new BearerRegistry { TokenStatus = status };
        using var client = TestClient.Create(registry.Stub, configure: o => o.Credential = RegistryCredential.FromPassword("user", "wrong"));

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetManifestAsync(App));

        Assert.Equal(status, e.StatusCode);
        Assert.Contains("'user'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", e.Message, StringComparison.Ordinal);
        Assert.Single(registry.TokenRequests);
    }

    [Fact]
    public async Task GetManifestAsync_TokenServiceRefusesAnonymous_SaysHowToLogIn()
    {
        var registry = new BearerRegistry { TokenStatus = 401 };
        using var client = TestClient.Create(registry.Stub);

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetManifestAsync(App));

        Assert.Contains("anonymous", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> UnusableTokenBodies => new()
    {
        string.Empty,
        "not json",
        "{",
        "[]",
        "\"t1\"",
        "{}",
        """{"token":""}""",
        """{"token":null}""",
        """{"token":42}""",
        """{"token":"t1\r\nX-Injected: yes"}""",
        """{"token":"t1\nX"}""",
        """{"token":"has space"}""",
        """{"token":"caf\u00e9"}""",
        """{"access_token":"\u0000"}""",
        """{"token":"\uD800"}""",
        """{"access_token":"t\uDC00"}""",
        "{\"token\":\"t\u00ff\u00fe\"}",
    };

    [Theory]
    [MemberData(nameof(UnusableTokenBodies))]
    public async Task GetManifestAsync_UnusableTokenResponse_SaysTheTokenServiceSentNoToken(string body)
    {
        var registry = new BearerRegistry { TokenBody = _ => body };
        using var client = TestClient.Create(registry.Stub);

        var e = await Assert.ThrowsAsync<TokenResponseInvalidException>(() => client.GetManifestAsync(App));

        Assert.Contains("not a token", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, registry.Stub.Requests.Count);
    }

    [Fact]
    public async Task GetManifestAsync_OversizedTokenResponse_ThrowsContentTooLarge()
    {
        var registry = new BearerRegistry { TokenBody = _ => "{\"token\":\"" + new string('a', 2 * 1024 * 1024) + "\"}" };
        using var client = TestClient.Create(registry.Stub);

        var e = await Assert.ThrowsAsync<ContentTooLargeException>(() => client.GetManifestAsync(App));

        Assert.Equal(Limits.TokenResponseBytes, e.Limit);
    }

    [Fact]
    public async Task GetManifestAsync_BasicChallengeWithCredential_RetriesWithBasicAndKeepsSendingIt()
    {
        var stub = new StubHandler(request => request.Headers.Authorization?.Scheme == "Basic"
            ? Manifests.Response(Manifests.Oci())
            : Responses.Challenge("Basic realm=\"registry\""));
        using var client = TestClient.Create(stub, configure: o => o.Credential = RegistryCredential.FromPassword("user", "pass"));

        await client.GetManifestAsync(App);
        await client.GetManifestAsync(App);

        var requests = stub.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Null(requests[0].Authorization);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:pass")), requests[1].Authorization);
        Assert.Equal(requests[1].Authorization, requests[2].Authorization);
    }

    [Fact]
    public async Task GetManifestAsync_BasicChallengeWithoutCredential_ThrowsAuthenticationError()
    {
        var stub = new StubHandler(_ => Responses.Challenge("Basic realm=\"registry\""));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetManifestAsync(App));

        Assert.Equal(401, e.StatusCode);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task GetManifestAsync_BasicChallengeWithWrongCredential_ThrowsAfterOneRetry()
    {
        var stub = new StubHandler(_ => Responses.Challenge("Basic realm=\"registry\""));
        using var client = TestClient.Create(stub, configure: o => o.Credential = RegistryCredential.FromPassword("user", "wrong"));

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetManifestAsync(App));

        Assert.Equal(2, stub.Requests.Count);
        Assert.DoesNotContain("wrong", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer realm=\"http://auth.example/token\",service=\"s\"", "plain HTTP")]
    [InlineData("Bearer realm=\"ftp://auth.example/token\"", "not an http(s) URL")]
    [InlineData("Bearer realm=\"file:///etc/passwd\"", "not an http(s) URL")]
    [InlineData("Bearer realm=\"/relative/token\"", "not an http(s) URL")]
    public async Task GetManifestAsync_UnsafeRealm_IsRefusedWithoutContactingIt(string challenge, string problem)
    {
        var stub = new StubHandler(_ => Responses.Challenge(challenge));
        using var client = TestClient.Create(stub, configure: o => o.Credential = RegistryCredential.FromPassword("user", "pass"));

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetManifestAsync(App));

        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task GetManifestAsync_HttpRealmForLoopbackHttpRegistry_IsAccepted()
    {
        var registry = new BearerRegistry { Challenge = "Bearer realm=\"http://127.0.0.1:5001/token\",service=\"local\"", TokenHost = "127.0.0.1" };
        using var client = TestClient.Create(registry.Stub, registry: "localhost:5000");

        await client.GetManifestAsync(Reference.Parse("localhost:5000/team/app:1.0"));

        Assert.Single(registry.TokenRequests);
    }

    [Theory]
    [InlineData("Bearer realm=")]
    [InlineData("Bearer realm=\"unterminated")]
    [InlineData("Bearer service=\"no realm\"")]
    [InlineData("%%% not a challenge token=s3cr3tVALUE")]
    public async Task GetManifestAsync_MalformedChallenge_SaysSoWithoutTokenRequest(string challenge)
    {
        var stub = new StubHandler(_ => Responses.Challenge(challenge));
        using var client = TestClient.Create(stub, configure: o => o.Credential = RegistryCredential.FromIdentityToken("id"));

        var e = await Assert.ThrowsAsync<RegistryChallengeException>(() => client.GetManifestAsync(App));

        Assert.Contains("WWW-Authenticate", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3tVALUE", e.Message, StringComparison.Ordinal);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task GetManifestAsync_ChallengeOfAnotherScheme_IsAnAuthenticationError()
    {
        var stub = new StubHandler(_ => Responses.Challenge("Digest realm=\"x\", nonce=\"y\""));
        using var client = TestClient.Create(stub, configure: o => o.Credential = RegistryCredential.FromIdentityToken("id"));

        await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetManifestAsync(App));

        Assert.Single(stub.Requests);
    }

    [Theory]
    [InlineData("", "an empty body")]
    [InlineData("<html><body>Sign in to continue</body></html>", "an HTML or XML page")]
    [InlineData("token please", "text that is not JSON")]
    [InlineData("{\"tok\":\"x\"}", "JSON without a usable token")]
    public async Task GetManifestAsync_TokenServiceAnswersWithoutAToken_SaysWhatCameInstead(string body, string what)
    {
        var registry = new BearerRegistry { TokenBody = _ => body };
        using var client = TestClient.Create(registry.Stub);

        var e = await Assert.ThrowsAsync<TokenResponseInvalidException>(() => client.GetManifestAsync(App));

        Assert.Contains(what, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP 401", e.Message, StringComparison.Ordinal);
    }
}
