namespace OciRegistry.Core.Models;

/// <summary>
/// A manifest whose config is not an image config: an artifact (the empty config of image-spec 1.1, a Helm chart's
/// config, a signature's), which has no entrypoint, environment or labels to read.
/// </summary>
public sealed class NotAnImageConfigException : OciException
{
    /// <summary>Creates the exception for the manifest <paramref name="what"/> names.</summary>
    /// <param name="what">The manifest, as a reference.</param>
    /// <param name="configMediaType">The media type of its config.</param>
    /// <param name="artifactType">Its artifact type, when it has one.</param>
    public NotAnImageConfigException(string what, string configMediaType, string? artifactType)
        : base(Describe(what, configMediaType, artifactType))
    {
        ConfigMediaType = configMediaType;
        ArtifactType = artifactType;
    }

    /// <summary>The config's media type.</summary>
    public string ConfigMediaType { get; }

    /// <summary>The manifest's artifact type, if any.</summary>
    public string? ArtifactType { get; }

    private static string Describe(string what, string configMediaType, string? artifactType)
    {
        var kind = artifactType is null || artifactType == configMediaType ? string.Empty : $" of type {artifactType}";
        var config = configMediaType == MediaTypes.OciEmpty ? "the empty config (" + configMediaType + ")" : configMediaType;
        return $"{what} is an artifact{kind}, not an image: its config is {config}, not an OCI or Docker image config";
    }
}
