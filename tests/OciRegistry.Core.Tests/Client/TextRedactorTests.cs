using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using OciRegistry.Core.Client;

namespace OciRegistry.Core.Tests.Client;

/// <summary>Text a registry or a storage backend wrote, with secrets in every form they come in, and none survives.</summary>
public sealed class TextRedactorTests
{
    private const string Secret = "s3cr3tVALUE0123456789";

    public static TheoryData<string, string> Hostile => new()
    {
        { "url in prose", $"see https://cdn.example.com/blobs/x?sig={Secret}&se=2026 for details" },
        { "url with credentials", $"fetch https://user:{Secret}@registry.example.com/v2/ failed" },
        { "xml-escaped query", $"<RequestURL>https://bucket.s3.amazonaws.com/b?X-Amz-Algorithm=AWS4&amp;X-Amz-Signature={Secret}&amp;X-Amz-Date=1</RequestURL>" },
        { "json-escaped url", $"{{\"detail\":\"https:\\/\\/cdn.example.com\\/b?a=1\\u0026token={Secret}\"}}" },
        { "percent-encoded name", $"https://cdn.example.com/b?X%2DAmz%2DSignature={Secret}" },
        { "percent-encoded name outside a url", $"rejected X%2DAmz%2DSignature={Secret} because it expired" },
        { "plain pair", $"invalid token={Secret}" },
        { "pair after a word and a colon", $"access denied: token={Secret} has expired" },
        { "pair after another pair", $"reason=expired:token={Secret}" },
        { "json value holding a pair", $"{{\"message\":\"denied\",\"detail\":\"sig={Secret}\"}}" },
        { "access_token pair", $"access_token={Secret}; expires_in=300" },
        { "json pair", $"{{\"access_token\": \"{Secret}\", \"expires_in\": 300}}" },
        { "bearer", $"Authorization: Bearer {Secret}" },
        { "basic", $"sent Basic {Secret}==" },
        { "jwt", "token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLWJ5dGVz rejected" },
        { "string to sign", $"<Error><Code>SignatureDoesNotMatch</Code><StringToSign>AWS4-HMAC-SHA256\n{Secret}</StringToSign><SignatureProvided>{Secret}</SignatureProvided></Error>" },
        { "azure sas", $"https://acct.blob.core.windows.net/c/b?sv=2021-08-06&sp=r&sig={Secret}" },
        { "google signed url", $"https://storage.googleapis.com/b/o?X-Goog-Credential={Secret}&X-Goog-Signature={Secret}" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Redact_HostileText_KeepsNoSecret(string name, string text)
    {
        var redacted = TextRedactor.Redact(text)!;

        Assert.DoesNotContain(Secret, redacted);
        Assert.DoesNotContain("c2lnbmF0dXJlLWJ5dGVz", redacted);
        Assert.Contains(UrlRedactor.Placeholder, redacted);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void Redact_SeveralSecretsOnOneLine_RedactsEach()
    {
        var text = $"token={Secret}1 and https://x.example/?sig={Secret}2&a=b then Bearer {Secret}3 and {{\"password\":\"{Secret}4\"}}";

        var redacted = TextRedactor.Redact(text)!;

        Assert.DoesNotContain(Secret, redacted);
        Assert.Equal(5, CountOf(redacted, UrlRedactor.Placeholder));
    }

    [Fact]
    public void Redact_OrdinaryWords_StayReadable()
    {
        const string text = "manifest unknown: the tag 1.4 is not in repository org/tool (scope=repository:org/tool:pull)";

        Assert.Equal(text, TextRedactor.Redact(text));
    }

    [Fact]
    public void Redact_TokenScopeAndService_StayInUrls()
    {
        var redacted = TextRedactor.Redact($"https://auth.example.com/token?scope=repository%3Aorg%2Ftool%3Apull&service=registry&nonce={Secret}")!;

        Assert.Contains("scope=repository%3Aorg%2Ftool%3Apull", redacted);
        Assert.Contains("service=registry", redacted);
        Assert.DoesNotContain(Secret, redacted);
    }

    [Theory]
    [InlineData('a')]
    [InlineData('=')]
    [InlineData('.')]
    [InlineData('%')]
    [InlineData(':')]
    public void Redact_OneMebibyteOfHostileText_TakesLinearTime(char filler)
    {
        // Long runs that each pattern could try at every position: a quadratic pattern would take minutes here.
        var run = new string(filler, 1024 * 1024);
        var mixed = string.Concat(Enumerable.Repeat("eyJa.b https://x/?a=b&amp;token=", 1024 * 1024 / 32));
        var clock = Stopwatch.StartNew();

        TextRedactor.Redact(run);
        TextRedactor.Redact("token=" + run);
        TextRedactor.Redact("https://x.example/?" + run);
        TextRedactor.Redact(string.Concat(Enumerable.Repeat("a:", 512 * 1024)));
        TextRedactor.Redact(string.Concat(Enumerable.Repeat("key=", 256 * 1024)));
        var redacted = TextRedactor.Redact(mixed)!;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.DoesNotContain("token=&", redacted.Replace("token=REDACTED", string.Empty));
    }

    [Fact]
    public void Redact_NullOrEmpty_ComesBackAsGiven()
    {
        Assert.Null(TextRedactor.Redact(null));
        Assert.Equal(string.Empty, TextRedactor.Redact(string.Empty));
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
