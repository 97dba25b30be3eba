using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests.TestRegistry;

/// <summary>
/// Rules that count each path (<see cref="FaultRule.CountEachPath"/>, as <see cref="FaultPresets.Unreliable"/> does)
/// remember a bounded number of paths: a client walking 20,000 distinct paths does not grow the server without end,
/// and the paths in use still fail exactly as often as the rule says.
/// </summary>
public sealed class FaultCounterTests
{
    [Fact]
    public async Task Unreliable_TwentyThousandDistinctPaths_KeepABoundedNumberOfCounters()
    {
        using var server = await TestRegistryServer.StartAsync();
        server.Faults.AddRange(FaultPresets.Unreliable);
        using var http = new HttpClient { BaseAddress = server.Url };

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
        {
            for (var i = worker; i < 20_000; i += 8)
            {
                using var response = await http.GetAsync($"/v2/walk/manifests/t{i}");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            }
        }));

        Assert.InRange(server.Faults.TrackedPaths, 1, ActiveFault.MaxTrackedPaths * FaultPresets.Unreliable.Count(r => r.CountEachPath));
    }

    [Fact]
    public async Task EachPath_PathInUse_FailsOnce_WhileThousandsOfOthersComeAndGo()
    {
        using var server = await TestRegistryServer.StartAsync();
        server.Faults.Add(new FaultRule(FaultKind.Fail) { Count = 1, CountEachPath = true });
        using var http = new HttpClient { BaseAddress = server.Url };

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(http, "/v2/kept/manifests/latest"));
        for (var round = 0; round < 3; round++)
        {
            // Fewer other paths than the rule remembers between two uses of the kept one.
            for (var i = 0; i < ActiveFault.MaxTrackedPaths / 2; i++)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(http, $"/v2/other/manifests/r{round}-{i}"));
            }

            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(http, "/v2/kept/manifests/latest"));
        }

        Assert.InRange(server.Faults.TrackedPaths, 1, ActiveFault.MaxTrackedPaths);
    }

    [Fact]
    public async Task EachPath_PathForgotten_IsCountedAfresh()
    {
        using var server = await TestRegistryServer.StartAsync();
        server.Faults.Add(new FaultRule(FaultKind.Fail) { Count = 1, CountEachPath = true });
        using var http = new HttpClient { BaseAddress = server.Url };

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(http, "/v2/old/manifests/latest"));
        for (var i = 0; i < ActiveFault.MaxTrackedPaths; i++)
        {
            await StatusAsync(http, $"/v2/other/manifests/t{i}");
        }

        // As documented: the least recently seen path is the one forgotten, and it then fails again.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(http, "/v2/old/manifests/latest"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(http, "/v2/old/manifests/latest"));
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return response.StatusCode;
    }
}
