using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Client;

public sealed class ErrorResponseReaderTests
{
    [Fact]
    public void ParseBody_SpecErrorList_ReadsEveryEntry()
    {
        var (errors, text) = ErrorResponseReader.ParseBody(Encoding.UTF8.GetBytes(
            """{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known","detail":{"name":"x"}},{"code":"DENIED"},{"message":"no code"},7]}"""));

        Assert.Null(text);
        Assert.Equal(
            [new RegistryError("NAME_UNKNOWN", "repository name not known"), new RegistryError("DENIED", string.Empty), new RegistryError("UNKNOWN", "no code")],
            errors.ToArray());
    }

    [Theory]
    [InlineData("Too Many Requests (HAP429).", "Too Many Requests (HAP429).")]
    [InlineData("{\"errors\":[]}", "{\"errors\":[]}")]
    [InlineData("{\"message\":\"x\"}", "{\"message\":\"x\"}")]
    [InlineData("<html>\r\n<body>Bad Gateway</body>\r\n</html>", "Bad Gateway")]
    [InlineData("<Error><Code>AccessDenied</Code><Message>Request has expired.</Message><Expires>2026</Expires></Error>", "AccessDenied Request has expired.")]
    [InlineData("Too many requests. Wait a minute. Then try again.", "Too many requests.")]
    [InlineData("version 1.4 of example.com is gone", "version 1.4 of example.com is gone")]
    [InlineData("  \n ", null)]
    public void ParseBody_OtherBody_IsKeptAsPrintableText(string body, string? expected)
    {
        var (errors, text) = ErrorResponseReader.ParseBody(Encoding.UTF8.GetBytes(body));

        Assert.Empty(errors);
        Assert.Equal(expected, text);
    }

    [Fact]
    public void ParseBody_Empty_IsNothing()
    {
        var (errors, text) = ErrorResponseReader.ParseBody([]);

        Assert.Empty(errors);
        Assert.Null(text);
    }

    [Fact]
    public void ParseBody_LongMessage_IsShortened()
    {
        var (errors, _) = ErrorResponseReader.ParseBody(Encoding.UTF8.GetBytes(
            "{\"errors\":[{\"code\":\"" + new string('C', 500) + "\",\"message\":\"" + new string('m', 5000) + "\\u0007\"}]}"));

        var error = Assert.Single(errors);
        Assert.True(error.Code.Length <= 65);
        Assert.True(error.Message.Length <= 513);
        Assert.DoesNotContain(error.Message, char.IsControl);
    }

    [Theory]
    [InlineData("{\"errors\":[{\"code\":\"\\uD800\",\"message\":\"m\"}]}")]
    [InlineData("{\"errors\":[{\"code\":\"C\",\"message\":\"bad \\uDC00 text\"}]}")]
    public void ParseBody_InvalidTextInJson_FallsBackWithoutThrowing(string body)
    {
        var (errors, text) = ErrorResponseReader.ParseBody(Encoding.UTF8.GetBytes(body));

        Assert.True(errors.Count > 0 || text is not null);
    }

    [Fact]
    public void ParseBody_InvalidUtf8_FallsBackWithoutThrowing()
    {
        var body = Encoding.UTF8.GetBytes("{\"errors\":[{\"code\":\"X\",\"message\":\"ab\"}]}");
        body[Array.IndexOf(body, (byte)'a')] = 0xFF;

        var (errors, text) = ErrorResponseReader.ParseBody(body);

        Assert.True(errors.Count > 0 || text is not null);
    }

    [Fact]
    public async Task GetManifestAsync_ErrorBodyWithInvalidText_StillThrowsRegistryResponseException()
    {
        var stub = new StubHandler(_ => Responses.Json("""{"errors":[{"code":"MANIFEST_UNKNOWN","message":"\uD800"}]}""", 404));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(Reference.Parse(TestClient.Registry + "/a:b")));

        Assert.Equal(404, e.StatusCode);
    }

    [Fact]
    public async Task GetManifestAsync_ForbiddenWithoutCredentials_DoesNotCallThemValid()
    {
        var stub = new StubHandler(_ => Responses.Error(403, "DENIED", "requested access to the resource is denied"));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(Reference.Parse(TestClient.Registry + "/a:b")));

        Assert.IsNotType<RegistryAuthenticationException>(e);
        Assert.Contains("No credentials were sent", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("accepted the credentials", e.Message, StringComparison.Ordinal);
        Assert.Equal("DENIED", e.Errors.Single().Code);
    }

    [Fact]
    public async Task GetManifestAsync_ForbiddenWithCredentials_SaysTheyLackPermission()
    {
        var stub = new StubHandler(request => request.Headers.Authorization is null
            ? Responses.Challenge("Basic realm=\"registry\"")
            : Responses.Error(403, "DENIED", "requested access to the resource is denied"));
        using var client = TestClient.Create(stub, configure: o => o.Credential = RegistryCredential.FromPassword("user", "secret"));

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(Reference.Parse(TestClient.Registry + "/a:b")));

        Assert.Contains("accepted the credentials but refuses this repository or action", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetManifestAsync_UnauthorizedWithoutCredentials_SaysNoneWereSent()
    {
        var stub = new StubHandler(_ => Responses.Challenge("Basic realm=\"registry\""));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetManifestAsync(Reference.Parse(TestClient.Registry + "/a:b")));

        Assert.False(e.CredentialsRefused);
        Assert.Contains("none were sent", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetManifestAsync_UnauthorizedWithBasicCredentials_NamesTheRefusedUserButNotThePassword()
    {
        var stub = new StubHandler(_ => Responses.Challenge("Basic realm=\"registry\""));
        using var client = TestClient.Create(stub, configure: o => o.Credential = RegistryCredential.FromPassword("ci-bot", "s3cret-pass"));

        var e = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetManifestAsync(Reference.Parse(TestClient.Registry + "/a:b")));

        Assert.True(e.CredentialsRefused);
        Assert.Contains("refused the credentials of 'ci-bot'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetManifestAsync_ExcerptEndingInAFullStop_GetsNoSecondOne()
    {
        var stub = new StubHandler(_ => Responses.Status(403, "<Error><Code>AccessDenied</Code><Message>Request has expired.</Message></Error>"));
        using var client = TestClient.Create(stub);

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(Reference.Parse(TestClient.Registry + "/a:b")));

        Assert.Contains("Request has expired. No credentials", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("..", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorBody_GoesWholeAndRedactedToTheTrace()
    {
        var body = "<Error><Code>AccessDenied</Code><Message>Request has expired. See the log.</Message>" +
                   "<RequestURL>https://bucket.example/b?X-Amz-Signature=abc123&amp;X-Amz-Credential=key9</RequestURL></Error>";
        var stub = new StubHandler(_ => Responses.Status(403, body));
        var events = new System.Collections.Concurrent.ConcurrentQueue<HttpTraceEvent>();
        using var client = TestClient.Create(stub, configure: o => o.Trace = events.Enqueue);

        var e = await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(Reference.Parse(TestClient.Registry + "/a:b")));

        var debug = Assert.Single(events, x => x.Kind == HttpTraceKind.ErrorBody);
        Assert.Contains("See the log.", debug.ToString(), StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=REDACTED&amp;X-Amz-Credential=REDACTED", debug.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("abc123", debug.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("See the log", e.Message, StringComparison.Ordinal);
    }
}
