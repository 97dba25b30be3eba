using System;
using System.Net.Http;
using OciRegistry.Core.Client;

namespace OciRegistry.Core.Tests.Client;

/// <summary>Docker Hub's ratelimit-* headers: the value parser, alone, and reading them off a response.</summary>
public sealed class RateLimitHeaderTests
{
    [Theory]
    [InlineData("100;w=21600", 100, 21600)]
    [InlineData("0;w=21600", 0, 21600)]
    [InlineData(" 76 ; w = 21600 ", 76, 21600)]
    [InlineData("100;W=60", 100, 60)]
    [InlineData("100", 100, null)]
    [InlineData("5000;w=3600;comment=\"x\"", 5000, 3600)]
    [InlineData("100, 100;w=21600", 100, 21600)]
    [InlineData("100;w=60, 1000;w=3600", 100, 60)]
    [InlineData("100, 5000;w=3600", 100, null)]
    [InlineData("2147483647;w=1", int.MaxValue, 1)]
    public void TryParse_DockerHubAndDraftForms_ReadsCountAndWindow(string value, int count, int? seconds)
    {
        Assert.True(RateLimitHeader.TryParse(value, out var parsed, out var window));

        Assert.Equal(count, parsed);
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, window);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-1;w=21600")]
    [InlineData("+5")]
    [InlineData("1.5;w=60")]
    [InlineData("ten;w=60")]
    [InlineData("2147483648;w=60")]
    [InlineData("99999999999999999999")]
    [InlineData("100;w=")]
    [InlineData("100;w=-5")]
    [InlineData("100;w=1h")]
    [InlineData("100;w=60;w=120")]
    [InlineData("100;=60")]
    [InlineData("100;w")]
    [InlineData("100;")]
    [InlineData("100,")]
    [InlineData(",100")]
    [InlineData("1 00;w=60")]
    [InlineData("100;w=60, oops")]
    public void TryParse_Hostile_IsFalseWithoutThrowing(string? value)
    {
        Assert.False(RateLimitHeader.TryParse(value, out var count, out var window));

        Assert.Equal(0, count);
        Assert.Null(window);
    }

    [Fact]
    public void TryParse_HugeValue_IsFalseQuickly()
    {
        var value = new string('9', 1_000_000) + ";w=" + new string('1', 1_000_000);

        Assert.False(RateLimitHeader.TryParse(value, out _, out _));
    }

    [Fact]
    public void FromHeaders_DockerHubAnswer_ReadsAllThree()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("RateLimit-Limit", "100;w=21600");
        response.Headers.TryAddWithoutValidation("ratelimit-remaining", "76;w=21600");
        response.Headers.TryAddWithoutValidation("docker-ratelimit-source", "192.0.2.10");

        var limit = RateLimit.FromHeaders(response.Headers);

        Assert.NotNull(limit);
        Assert.Equal(100, limit.Limit);
        Assert.Equal(76, limit.Remaining);
        Assert.Equal(TimeSpan.FromHours(6), limit.Window);
        Assert.Equal("192.0.2.10", limit.Source);
        Assert.Equal("76 of 100 left (per 6 h)", limit.ToString());
    }

    [Fact]
    public void FromHeaders_NoneOfThem_IsNull()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("X-RateLimit-Limit", "60");

        Assert.Null(RateLimit.FromHeaders(response.Headers));
    }

    [Fact]
    public void FromHeaders_UnreadableLimit_KeepsWhatIsReadable()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("ratelimit-limit", "lots");
        response.Headers.TryAddWithoutValidation("ratelimit-remaining", "3;w=60");

        var limit = RateLimit.FromHeaders(response.Headers);

        Assert.NotNull(limit);
        Assert.Null(limit.Limit);
        Assert.Equal(3, limit.Remaining);
        Assert.Equal(TimeSpan.FromMinutes(1), limit.Window);
        Assert.Null(limit.Source);
    }

    [Theory]
    [InlineData(30, "30 s")]
    [InlineData(59.2, "60 s")]
    [InlineData(60, "1 min")]
    [InlineData(3599, "60 min")]
    [InlineData(3600, "1 h")]
    [InlineData(21599.5, "6 h")]
    [InlineData(5400, "1 h 30 min")]
    public void Duration_RoundsUpAndNeverShowsSixtyMinutesPastAnHour(double seconds, string expected) =>
        Assert.Equal(expected, RateLimit.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void TooManyRequestsHint_NamesWhatIsLeftAndTheWait()
    {
        var hint = ErrorResponseReader.TooManyRequestsHint(new RateLimit(100, 0, TimeSpan.FromHours(6), "192.0.2.10"), TimeSpan.FromMinutes(90));

        Assert.Equal("The registry's rate limit: 0 of 100 left (per 6 h); it asks to wait 1 h 30 min", hint);
    }

    [Fact]
    public void TooManyRequestsHint_OnlyRetryAfter_NamesTheWait() =>
        Assert.Equal("The registry asks to wait 20 s", ErrorResponseReader.TooManyRequestsHint(null, TimeSpan.FromSeconds(20)));

    [Fact]
    public void TooManyRequestsHint_NothingSent_IsNull() =>
        Assert.Null(ErrorResponseReader.TooManyRequestsHint(new RateLimit(null, null, null, "x"), null));
}
