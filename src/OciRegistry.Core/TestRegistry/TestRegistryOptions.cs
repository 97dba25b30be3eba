using System.Net;

namespace OciRegistry.Core.TestRegistry;

/// <summary>Where a <see cref="TestRegistryServer"/> listens.</summary>
public sealed class TestRegistryOptions
{
    /// <summary>The address to listen on; loopback (127.0.0.1) unless a test needs another.</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>The TCP port; 0 (the default) picks a free one.</summary>
    public int Port { get; set; }
}
