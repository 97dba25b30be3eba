namespace OciRegistry.TestRegistry;

/// <summary>Which of a test registry's two listeners handled a request.</summary>
public enum TestRegistryOrigin
{
    /// <summary>The registry itself: the API, authentication and the token endpoint.</summary>
    Registry,

    /// <summary>
    /// The second listener that <see cref="FaultKind.Redirect"/> sends clients to, the way registries hand blob
    /// downloads to a CDN: same content, no authentication, only signed URLs.
    /// </summary>
    Cdn,
}
