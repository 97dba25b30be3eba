using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;

namespace OciRegistry.Core.Tests.Support;

/// <summary>Builds a <see cref="RegistryClient"/> over a stub network with an instant clock and no Docker config.</summary>
internal static class TestClient
{
    /// <summary>A registry name that is not loopback, so the client speaks HTTPS.</summary>
    public const string Registry = "registry.example";

    public static RegistryClient Create(StubHandler stub, ManualTimeProvider? time = null, Action<ClientOptions>? configure = null, string registry = Registry)
    {
        var options = new ClientOptions
        {
            PrimaryHandler = stub,
            UseDockerConfig = false,
            TimeProvider = time ?? new ManualTimeProvider(),
        };
        configure?.Invoke(options);
        return new RegistryClient(registry, options);
    }
}
