using System;
using System.Collections.Generic;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

public sealed class FaultRuleTests
{
    public static TheoryData<FaultRule, string> InvalidRules => new()
    {
        { new FaultRule(FaultKind.Fail) { PathPattern = "*", PathRegex = ".*" }, "not both" },
        { new FaultRule(FaultKind.Fail) { PathRegex = "(" }, "not a valid regular expression" },
        { new FaultRule(FaultKind.Fail) { Count = 0 }, "at least 1" },
        { new FaultRule(FaultKind.Fail) { CountEachPath = true }, "needs a count" },
        { new FaultRule(FaultKind.Fail) { StatusCode = 200 }, "error status" },
        { new FaultRule(FaultKind.Fail) { StatusCode = 600 }, "error status" },
        { new FaultRule(FaultKind.Fail) { RetryAfter = TimeSpan.FromSeconds(-1) }, "negative" },
        { new FaultRule(FaultKind.Delay) { Delay = TimeSpan.FromSeconds(-1) }, "negative" },
        { new FaultRule(FaultKind.Trickle) { BytesPerSecond = 0 }, "at least 1 byte" },
        { new FaultRule(FaultKind.CutBody) { Offset = -1 }, "negative" },
        { new FaultRule(FaultKind.CorruptByte) { Offset = -5 }, "negative" },
        { new FaultRule((FaultKind)99), "not a fault kind" },
        { new FaultRule(FaultKind.CutBody) { Body = "x" }, "only a failure" },
        { new FaultRule(FaultKind.Fail) { ContentType = "text/html" }, "needs a body" },
        { new FaultRule(FaultKind.Fail) { Headers = new Dictionary<string, string> { ["Bad Name"] = "x" } }, "not a header name" },
        { new FaultRule(FaultKind.Fail) { Headers = new Dictionary<string, string> { ["X-Split"] = "a\r\nSet-Cookie: b" } }, "one line" },
    };

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public void Validate_InconsistentRule_ThrowsArgumentException(FaultRule rule, string message)
    {
        var error = Assert.Throws<ArgumentException>(rule.Validate);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_InvalidRuleAmongValidOnes_AddsNone()
    {
        var faults = new FaultCollection();

        Assert.Throws<ArgumentException>(() => faults.AddRange([new FaultRule(FaultKind.Redirect), new FaultRule(FaultKind.Fail) { StatusCode = 302 }]));

        Assert.Empty(faults);
    }

    [Theory]
    [InlineData("*/blobs/*", null, "/v2/a/b/blobs/sha256:ab", true)]
    [InlineData("*/blobs/*", null, "/v2/a/b/manifests/1.0", false)]
    [InlineData("/v2/a/b/manifests/?.0", null, "/v2/a/b/manifests/1.0", true)]
    [InlineData("/V2/*", null, "/v2/x/tags/list", true)]
    [InlineData("/v2/", null, "/v2/x/tags/list", false)]
    [InlineData("[*", null, "[abc", true)]
    [InlineData(null, "manifests/(latest|1\\.0)$", "/v2/a/manifests/latest", true)]
    [InlineData(null, "manifests/(latest|1\\.0)$", "/v2/a/manifests/latest2", false)]
    [InlineData(null, "BLOBS", "/v2/a/blobs/sha256:00", true)]
    [InlineData(null, null, "/anything", true)]
    public void CreatePathMatcher_WildcardOrRegex_MatchesLikePowerShell(string? wildcard, string? regex, string path, bool expected)
    {
        var matcher = new FaultRule(FaultKind.Fail) { PathPattern = wildcard, PathRegex = regex }.CreatePathMatcher();

        Assert.Equal(expected, matcher?.IsMatch(path) ?? true);
    }

    [Fact]
    public void ToString_DescribesKindScopeAndCount()
    {
        var rule = new FaultRule(FaultKind.Fail) { StatusCode = 429, RetryAfter = TimeSpan.FromSeconds(1.2), Method = "get", PathPattern = "*/blobs/*", Count = 2, CountEachPath = true };

        Assert.Equal("Fail 429 (Retry-After 2 s) on GET */blobs/* (first 2 per path)", rule.ToString());
        Assert.Equal("CutBody halfway", new FaultRule(FaultKind.CutBody).ToString());
        Assert.Equal("Fail 401 with a 2-character body and WWW-Authenticate", new FaultRule(FaultKind.Fail)
        {
            StatusCode = 401,
            Body = "no",
            Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer" },
        }.ToString());
        Assert.Equal("Stall at byte 10 (CDN only, first 1)", new FaultRule(FaultKind.Stall) { Offset = 10, Origin = TestRegistryOrigin.Cdn, Count = 1 }.ToString());
    }

    [Fact]
    public void Unreliable_IsTheSeedWrapper()
    {
        Assert.Collection(
            FaultPresets.Unreliable,
            fail => Assert.Equal((FaultKind.Fail, 503, 1, true), (fail.Kind, fail.StatusCode, fail.Count!.Value, fail.CountEachPath)),
            redirect => Assert.Equal((FaultKind.Redirect, (int?)null), (redirect.Kind, redirect.Count)),
            cut => Assert.Equal((FaultKind.CutBody, "*/blobs/*", (long?)null), (cut.Kind, cut.PathPattern, cut.Offset)));
    }
}
