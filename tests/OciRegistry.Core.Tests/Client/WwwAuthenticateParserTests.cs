using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using OciRegistry.Core.Client;

namespace OciRegistry.Core.Tests.Client;

public sealed class WwwAuthenticateParserTests
{
    [Fact]
    public void Parse_DockerHubBearerChallenge_ReadsRealmServiceScope()
    {
        var challenges = WwwAuthenticateParser.Parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\"");

        var challenge = Assert.Single(challenges);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Null(challenge.Token68);
        Assert.Equal("https://auth.docker.io/token", challenge.Realm);
        Assert.Equal("registry.docker.io", challenge.Service);
        Assert.Equal("repository:library/alpine:pull", challenge.Scope);
    }

    /// <summary>Each row: header value, then the expected challenges as "Scheme|token68|name=value;name=value".</summary>
    public static TheoryData<string, string[]> ValidChallenges => new()
    {
        { "Basic realm=\"x\", Bearer realm=\"y\",service=\"z\"", ["Basic||realm=x", "Bearer||realm=y;service=z"] },
        { "Negotiate abc==", ["Negotiate|abc==|"] },
        { "Basic dXNlcjpwYXNz", ["Basic|dXNlcjpwYXNz|"] },
        { "Basic abc=, Bearer realm=y", ["Basic|abc=|", "Bearer||realm=y"] },
        { "Negotiate", ["Negotiate||"] },
        { "Negotiate, NTLM", ["Negotiate||", "NTLM||"] },
        { "Bearer realm=\"a\\\"b\"", ["Bearer||realm=a\"b"] },
        { "Bearer realm=\"a\\\\b\"", ["Bearer||realm=a\\b"] },
        { "bEaReR REALM=\"r\", Service=\"s\"", ["bEaReR||realm=r;service=s"] },
        { "Bearer realm = \"r\" , service\t=\ts", ["Bearer||realm=r;service=s"] },
        { "Bearer realm=\"\"", ["Bearer||realm="] },
        { "Bearer realm=token-value", ["Bearer||realm=token-value"] },
        { "Bearer realm=\"a, b=c\", scope=\"x\"", ["Bearer||realm=a, b=c;scope=x"] },
        { "  ,Bearer realm=\"r\",  ", ["Bearer||realm=r"] },
        { "Bearer realm=\"r\",error=\"invalid_token\"", ["Bearer||error=invalid_token;realm=r"] },
        { "Bearer realm=\"tab\there\"", ["Bearer||realm=tab\there"] },
        { "Bearer realm=\"caf\u00e9\"", ["Bearer||realm=caf\u00e9"] },
        { ", , ,", [] },
        { "", [] },
        { "   ", [] },
    };

    [Theory]
    [MemberData(nameof(ValidChallenges))]
    public void Parse_ValidValue_GivesEveryChallenge(string value, string[] expected)
    {
        var challenges = WwwAuthenticateParser.Parse(value);

        Assert.Equal(expected, challenges.Select(Describe).ToArray());
    }

    [Fact]
    public void Parse_ParameterNames_AreCaseInsensitive()
    {
        var challenge = Assert.Single(WwwAuthenticateParser.Parse("BEARER REALM=\"r\",SCOPE=\"s\""));

        Assert.True(challenge.Is("bearer"));
        Assert.Equal("r", challenge.Realm);
        Assert.Equal("s", challenge.Parameters["Scope"]);
    }

    [Fact]
    public void Parse_SeveralHeaderValues_ConcatenatesInOrderAndSkipsBadOnes()
    {
        var challenges = WwwAuthenticateParser.Parse(new[]
        {
            "Basic realm=\"registry\"",
            "Bearer realm=\"broken",
            "Bearer realm=\"https://auth/token\",service=\"reg\"",
        });

        Assert.Equal(["Basic||realm=registry", "Bearer||realm=https://auth/token;service=reg"], challenges.Select(Describe).ToArray());
    }

    [Fact]
    public void Parse_NullValues_GivesNothing()
    {
        Assert.Empty(WwwAuthenticateParser.Parse((IEnumerable<string>?)null));
        Assert.Empty(WwwAuthenticateParser.Parse((string?)null));
    }

    public static TheoryData<string> HostileValues => new()
    {
        "Bearer realm=\"unterminated",
        "Bearer realm=\"ends in backslash\\",
        "Bearer realm=\"a\", realm=\"b\"",
        "Bearer realm=\"a\", REALM=\"b\"",
        "Bearer =x",
        "Bearer realm=\"r\", =x",
        "Bearer realm=\"a\u0000b\"",
        "Bearer realm=\"a\rb\"",
        "Bearer realm=\"a\nb\"",
        "Bearer realm=\"a\u007fb\"",
        "Bearer realm=\"r\"\r\nX-Injected: 1",
        "Bearer realm=,service=x",
        "Bearer realm=\"r\" service=\"s\"",
        "Bearer realm=\"r\"garbage",
        "Bearer realm=r\"s\"",
        "Bearer\"realm\"",
        "Bearer;realm=r",
        "\"Bearer\" realm=r",
        "=",
        "==",
        "Bearer realm=a=b",
        "Bearer realm=\"r\", service=@",
        "Bearer realm=\"r\",, scope=\u00e9",
        "B\u00e9arer realm=r",
        "Bearer realm=\"x\"" + string.Concat(Enumerable.Range(0, 70).Select(i => $",p{i}=v")),
        "Bearer realm=\"" + new string('a', 20 * 1024) + "\"",
        string.Concat(Enumerable.Repeat("Bearer realm=\"r\", ", 2000)),
    };

    [Theory]
    [MemberData(nameof(HostileValues))]
    public void Parse_HostileValue_GivesNoChallenges(string value)
    {
        Assert.Empty(WwwAuthenticateParser.Parse(value));
    }

    /// <summary>
    /// RFC 9110 §11.3 makes "realm=" a valid token68 (1*tchar68 *"="), exactly like "Basic abc=": the parser cannot
    /// tell them apart and must not drop the latter. What matters is that no realm comes out of it.
    /// </summary>
    [Fact]
    public void Parse_BearerRealmWithEmptyToken_GivesNoRealm()
    {
        var challenges = WwwAuthenticateParser.Parse("Bearer realm=");

        Assert.All(challenges, c => Assert.Null(c.Realm));
        Assert.All(challenges, c => Assert.Empty(c.Parameters));
    }

    [Fact]
    public void Parse_SeededRandomValues_NeverThrows()
    {
        const string Alphabet = "\"\\=, ;abcBR\t\u0000\u00e9\r\n";
        var random = new Random(42);
        var builder = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            builder.Clear();
            var length = random.Next(0, 64);
            for (var j = 0; j < length; j++)
            {
                builder.Append(Alphabet[random.Next(Alphabet.Length)]);
            }

            var value = (i % 3) switch
            {
                0 => builder.ToString(),
                1 => "Bearer " + builder,
                _ => "Bearer realm=\"r\"," + builder,
            };
            var challenges = WwwAuthenticateParser.Parse(value);

            // Whatever came out names a scheme and holds no control characters but tab.
            Assert.All(challenges, c =>
            {
                Assert.NotEmpty(c.Scheme);
                Assert.All(c.Parameters.Values, v => Assert.DoesNotContain(v, ch => ch < 0x20 && ch != '\t'));
            });
        }
    }

    private static string Describe(AuthChallenge challenge) =>
        challenge.Scheme + "|" + challenge.Token68 + "|" +
        string.Join(";", challenge.Parameters.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Select(p => p.Key.ToLowerInvariant() + "=" + p.Value));
}
