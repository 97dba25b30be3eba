using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using OciRegistry.Core.Client;

namespace OciRegistry.Core.Tests.Client;

public sealed class RetryClassifierTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<int> TransientStatuses()
    {
        var data = new TheoryData<int> { 408, 425, 429, 499 };
        foreach (var status in Enumerable.Range(500, 100).Where(s => s is not (501 or 505 or 511)))
        {
            data.Add(status);
        }

        return data;
    }

    public static TheoryData<int> PermanentStatuses()
    {
        var data = new TheoryData<int> { 501, 505, 511 };
        foreach (var status in Enumerable.Range(100, 400).Where(s => s is not (408 or 425 or 429 or 499)))
        {
            data.Add(status);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TransientStatuses))]
    public void IsTransientStatus_ContractTransientStatus_IsTrue(int status)
    {
        Assert.True(RetryClassifier.IsTransientStatus(status));
    }

    [Theory]
    [MemberData(nameof(PermanentStatuses))]
    [InlineData(0)]
    [InlineData(600)]
    [InlineData(-1)]
    public void IsTransientStatus_OtherStatus_IsFalse(int status)
    {
        Assert.False(RetryClassifier.IsTransientStatus(status));
    }

    [Fact]
    public void IsTransientException_NetworkFailures_AreTransient()
    {
        Assert.True(RetryClassifier.IsTransientException(new HttpRequestException("reset")));
        Assert.True(RetryClassifier.IsTransientException(new IOException("broken pipe")));
        Assert.True(RetryClassifier.IsTransientException(new IdleTimeoutException("response", TimeSpan.FromSeconds(1))));
        Assert.True(RetryClassifier.IsTransientException(Response(503)));
    }

    [Fact]
    public void IsTransientException_RefusalsAndOtherFailures_AreNotTransient()
    {
        Assert.False(RetryClassifier.IsTransientException(new RegistryAuthenticationException("GET", "https://r/v2/", "no")));
        Assert.False(RetryClassifier.IsTransientException(Response(404)));
        Assert.False(RetryClassifier.IsTransientException(new OciException("bad")));
        Assert.False(RetryClassifier.IsTransientException(new OperationCanceledException()));
        Assert.False(RetryClassifier.IsTransientException(new InvalidOperationException()));
    }

    [Theory]
    [InlineData("2", 2.0)]
    [InlineData("0", 0.0)]
    [InlineData("120", 120.0)]
    public void RetryAfter_Seconds_IsThatWait(string header, double seconds)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", header);

        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryClassifier.RetryAfter(response, Now));
    }

    [Fact]
    public void RetryAfter_FutureHttpDate_IsTheTimeUntilThen()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", Now.AddSeconds(90).ToString("r"));

        Assert.Equal(TimeSpan.FromSeconds(90), RetryClassifier.RetryAfter(response, Now));
    }

    [Fact]
    public void RetryAfter_PastHttpDate_IsZero()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", Now.AddMinutes(-5).ToString("r"));

        Assert.Equal(TimeSpan.Zero, RetryClassifier.RetryAfter(response, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    [InlineData("Tue, 99 Foo 2025 25:61:61 GMT")]
    public void RetryAfter_AbsentOrGarbage_IsNull(string? header)
    {
        using var response = new HttpResponseMessage();
        if (header is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", header);
        }

        Assert.Null(RetryClassifier.RetryAfter(response, Now));
    }

    [Theory]
    [InlineData(0, 500)]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(3, 4000)]
    [InlineData(4, 8000)]
    public void ComputeDelay_Attempt_GrowsExponentiallyWithinJitterRange(int attempt, double fullMilliseconds)
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(30) };

        var lowest = options.ComputeDelay(attempt, null, 0.0);
        var highest = options.ComputeDelay(attempt, null, 1.0);

        Assert.Equal(fullMilliseconds / 2, lowest.TotalMilliseconds, 3);
        Assert.InRange(highest.TotalMilliseconds, fullMilliseconds * 0.99, fullMilliseconds);
        Assert.True(highest < TimeSpan.FromMilliseconds(fullMilliseconds));
    }

    [Fact]
    public void ComputeDelay_RandomValues_StayWithinHalfToFullBackoff()
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(30) };
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var delay = options.ComputeDelay(2, null, random.NextDouble());

            Assert.InRange(delay, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(31)]
    [InlineData(int.MaxValue)]
    public void ComputeDelay_LateAttempt_IsBoundedByMaxDelay(int attempt)
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(10) };

        var delay = options.ComputeDelay(attempt, null, 0.999);

        Assert.InRange(delay, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(2.0)]
    public void ComputeDelay_RandomOutOfRange_StaysWithinJitterRange(double random)
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.FromSeconds(1) };

        Assert.InRange(options.ComputeDelay(0, null, random), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void ComputeDelay_NegativeAttempt_IsTreatedAsFirst()
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.FromSeconds(1) };

        Assert.Equal(options.ComputeDelay(0, null, 0.5), options.ComputeDelay(-3, null, 0.5));
    }

    [Fact]
    public void ComputeDelay_LongerRetryAfter_StretchesTheWait()
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(1) };

        Assert.Equal(TimeSpan.FromSeconds(20), options.ComputeDelay(0, TimeSpan.FromSeconds(20), 0.5));
    }

    [Fact]
    public void ComputeDelay_ShorterRetryAfter_KeepsTheBackoff()
    {
        var options = new RetryOptions { BaseDelay = TimeSpan.FromSeconds(4) };

        Assert.Equal(TimeSpan.FromSeconds(3), options.ComputeDelay(0, TimeSpan.FromSeconds(1), 0.5));
    }

    private static RegistryResponseException Response(int status) =>
        new("GET", "https://r/v2/x/manifests/latest", status, null, [], null, null);
}
