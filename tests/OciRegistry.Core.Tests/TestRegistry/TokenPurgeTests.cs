using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using OciRegistry.TestRegistry;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>The token endpoint forgets access and refresh tokens once they expire, instead of keeping every one it issued.</summary>
public sealed class TokenPurgeTests
{
    private static readonly NetworkCredential Account = new("purger", "hunter2");

    [Fact]
    public async Task ExpiredAccessTokens_AreForgotten()
    {
        var clock = new ManualTimeProvider { FireTimers = false };
        await using var registry = await RegistryUnderTest.StartAsync(Bearer(clock));
        var tokens = registry.Server.Tokens!;
        var first = await GetTokenAsync(registry);
        for (var i = 1; i < 50; i++)
        {
            await GetTokenAsync(registry);
        }

        Assert.Equal(50, tokens.AccessTokenCount);
        clock.Advance(TimeSpan.FromSeconds(31));
        var fresh = await GetTokenAsync(registry);

        Assert.Equal(1, tokens.AccessTokenCount);
        Assert.Equal(HttpStatusCode.Unauthorized, await PullAsync(registry, first));
        Assert.Equal(HttpStatusCode.OK, await PullAsync(registry, fresh));
    }

    [Fact]
    public async Task ExpiredAccessTokens_AreForgotten_WhenOnlyRegistryRequestsCome()
    {
        var clock = new ManualTimeProvider { FireTimers = false };
        await using var registry = await RegistryUnderTest.StartAsync(Bearer(clock));
        var token = await GetTokenAsync(registry);
        await GetTokenAsync(registry);
        clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(HttpStatusCode.Unauthorized, await PullAsync(registry, token));
        Assert.Equal(0, registry.Server.Tokens!.AccessTokenCount);
    }

    [Fact]
    public async Task RefreshTokens_ExpireAfterAnHour_AndAreForgotten()
    {
        var clock = new ManualTimeProvider { FireTimers = false };
        await using var registry = await RegistryUnderTest.StartAsync(Bearer(clock));
        var tokens = registry.Server.Tokens!;
        var refresh = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var (status, body) = await PostAsync(registry, ("grant_type", "password"), ("username", Account.UserName), ("password", Account.Password), ("scope", Scope));
            Assert.Equal(HttpStatusCode.OK, status);
            refresh.Add(body.GetProperty("refresh_token").GetString()!);
        }

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(registry, ("grant_type", "refresh_token"), ("refresh_token", refresh[0]), ("scope", Scope))).Status);
        Assert.Equal(20, tokens.RefreshTokenCount);

        clock.Advance(TimeSpan.FromMinutes(2));
        var (expired, error) = await PostAsync(registry, ("grant_type", "refresh_token"), ("refresh_token", refresh[1]), ("scope", Scope));

        Assert.Equal(HttpStatusCode.Unauthorized, expired);
        Assert.Equal("invalid_grant", error.GetProperty("error").GetString());
        Assert.Equal(0, tokens.RefreshTokenCount);
    }

    [Fact]
    public async Task RefreshToken_OutlivesAShortAccessToken()
    {
        var clock = new ManualTimeProvider { FireTimers = false };
        var options = Bearer(clock);
        options.TokenLifetime = TimeSpan.FromSeconds(2);
        await using var registry = await RegistryUnderTest.StartAsync(options);
        var (_, body) = await PostAsync(registry, ("grant_type", "password"), ("username", Account.UserName), ("password", Account.Password), ("scope", Scope));

        clock.Advance(TimeSpan.FromMinutes(10));
        var (status, renewed) = await PostAsync(registry, ("grant_type", "refresh_token"), ("refresh_token", body.GetProperty("refresh_token").GetString()!), ("scope", Scope));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, await PullAsync(registry, renewed.GetProperty("access_token").GetString()!));
    }

    private static string Scope => $"repository:{RegistryUnderTest.Repository}:pull";

    private static TestRegistryOptions Bearer(ManualTimeProvider clock) => new()
    {
        Authentication = TestRegistryAuthMode.Bearer,
        Credential = Account,
        TimeProvider = clock,
        TokenLifetime = TimeSpan.FromSeconds(30),
    };

    private static async Task<string> GetTokenAsync(RegistryUnderTest registry)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/token?scope=" + Uri.EscapeDataString(Scope));
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Account.UserName + ":" + Account.Password)));
        using var response = await registry.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync()).RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<HttpStatusCode> PullAsync(RegistryUnderTest registry, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, registry.ManifestPath);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var response = await registry.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(RegistryUnderTest registry, params (string Name, string Value)[] fields)
    {
        using var content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        using var response = await registry.Http.PostAsync("/token", content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync()).RootElement);
    }
}
