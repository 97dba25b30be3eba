using System;

namespace OciRegistry.Core.Client;

/// <summary>The registry configuration file cannot be read as one.</summary>
public sealed class RegistryConfigurationException : OciException
{
    /// <summary>Creates the exception.</summary>
    public RegistryConfigurationException(string path, string problem, Exception? innerException = null)
        : base($"The registry configuration {path} cannot be used: {problem}", innerException)
    {
        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }
}
