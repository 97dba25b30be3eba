namespace OciRegistry.Core.Client;

/// <summary>
/// The registry does not serve <c>/v2/_catalog</c> (it answered 404): the catalog is an optional extension of the
/// distribution API, which many registries leave out.
/// </summary>
public sealed class CatalogUnavailableException : OciException
{
    /// <summary>Creates the exception for <paramref name="registry"/>, keeping the 404 as the inner exception.</summary>
    public CatalogUnavailableException(string registry, RegistryResponseException innerException)
        : base($"the registry {registry} does not offer a repository catalog ({innerException?.Message})", innerException)
    {
        Registry = registry;
    }

    /// <summary>The registry asked.</summary>
    public string Registry { get; }
}
