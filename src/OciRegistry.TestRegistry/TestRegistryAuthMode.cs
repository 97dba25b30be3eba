namespace OciRegistry.TestRegistry;

/// <summary>How a test registry authenticates pulls.</summary>
public enum TestRegistryAuthMode
{
    /// <summary>Everyone may pull; no challenge.</summary>
    Anonymous,

    /// <summary>HTTP Basic with <see cref="TestRegistryOptions.Credential"/> on every request (RFC 7617).</summary>
    Basic,

    /// <summary>
    /// Bearer tokens from the registry's own token endpoint (<c>/token</c>), as Docker Hub and most registries do
    /// (https://distribution.github.io/distribution/spec/auth/token/).
    /// </summary>
    Bearer,
}
