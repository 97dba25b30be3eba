using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests.Client;

public sealed class WarningHeaderTests
{
    [Theory]
    [InlineData("299 - \"This repository is deprecated.\"", "This repository is deprecated.")]
    [InlineData("299 registry.example:443 \"with an agent\"", "with an agent")]
    [InlineData("299 - \"quoted \\\"word\\\" and \\\\ backslash\"", "quoted \"word\" and \\ backslash")]
    [InlineData("299 - \"a, b\" \"Wed, 21 Oct 2015 07:28:00 GMT\"", "a, b")]
    [InlineData("  299   -   \"padded\"  ", "padded")]
    [InlineData("299 - \"one\", 299 - \"two\"", "one|two")]
    [InlineData("199 - \"misc\", 299 - \"kept\", 110 - \"stale\"", "kept")]
    [InlineData("299 - \"line\r\nbreak \u001b[31mred\"", "line  break  [31mred")]
    [InlineData("299 - \"moved: https://cdn.example/x?sig=abc123&service=r\"", "moved: https://cdn.example/x?sig=REDACTED&service=r")]
    [InlineData("299 - \"\"", "")]
    [InlineData("299 - \"   \"", "")]
    public void Parse_WellFormed_ReturnsThe299Texts(string header, string expected)
    {
        var texts = WarningHeaderParser.Parse([header]);

        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), texts);
    }

    [Theory]
    [InlineData("")]
    [InlineData("299")]
    [InlineData("299 -")]
    [InlineData("299 - unquoted")]
    [InlineData("299 - \"never ends")]
    [InlineData("299 - \"ends in a backslash\\")]
    [InlineData("29 - \"short code\"")]
    [InlineData("2990 - \"long code\"")]
    [InlineData("abc - \"letters\"")]
    [InlineData("299 \"no agent\"")]
    [InlineData(",,,")]
    public void Parse_Malformed_ReturnsNothing(string header)
    {
        Assert.Empty(WarningHeaderParser.Parse([header]));
    }

    [Fact]
    public void Parse_GarbageAfterAWarning_KeepsTheWarningBeforeIt()
    {
        Assert.Equal(["first"], WarningHeaderParser.Parse(["299 - \"first\" junk, 299 - \"second\""]));
    }

    [Fact]
    public void Parse_HostileSizes_AreBounded()
    {
        var longText = "299 - \"" + new string('x', 3000) + "\"";
        var many = string.Join(", ", Enumerable.Range(0, 100).Select(i => $"299 - \"w{i}\""));

        var shortened = Assert.Single(WarningHeaderParser.Parse([longText]));
        Assert.Equal(Limits.WarningTextChars + 1, shortened.Length);
        Assert.Equal(Limits.MaxWarnings, WarningHeaderParser.Parse([many]).Count);
        Assert.Empty(WarningHeaderParser.Parse([new string(' ', 5000) + "299 - \"past the budget\""]));
    }

    [Fact]
    public async Task Client_WarningHeaders_ReachTheCallbackWithTheHost()
    {
        var warnings = new ConcurrentQueue<string>();
        var network = new FakeNetwork(request => request.RequestUri!.AbsolutePath.EndsWith("/tags/list", StringComparison.Ordinal)
            ? FakeNetwork.Json("""{"tags":["a"]}""").With("Warning", "299 - \"This repository is deprecated.\"").With("Warning", "110 - \"stale\"")
            : FakeNetwork.Text(404, "nope"));
        using var client = network.Client(o => o.Warning = warnings.Enqueue);

        var tags = await client.ListTagsAsync("team/app").ToListAsync();

        Assert.Equal(["a"], tags);
        Assert.Equal(["registry.example: This repository is deprecated."], warnings);
    }

    [Fact]
    public async Task Client_WarningOnAnError_IsReportedToo()
    {
        var warnings = new ConcurrentQueue<string>();
        var network = new FakeNetwork(_ => FakeNetwork.Error(404, "MANIFEST_UNKNOWN").With("Warning", "299 - \"Pulls by tag are rate limited.\""));
        using var client = network.Client(o => o.Warning = warnings.Enqueue);

        await Assert.ThrowsAsync<RegistryResponseException>(() => client.GetManifestAsync(Reference.Parse(FakeNetwork.Registry + "/team/app:1")));

        Assert.Equal(["registry.example: Pulls by tag are rate limited."], warnings);
    }
}
