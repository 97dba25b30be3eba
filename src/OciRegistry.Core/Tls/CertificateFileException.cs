using System;

namespace OciRegistry.Core.Tls;

/// <summary>A certificate or key file that cannot be read or holds no usable certificate.</summary>
public sealed class CertificateFileException : OciException
{
    /// <summary>Creates the exception.</summary>
    public CertificateFileException(string path, string problem, Exception? innerException = null)
        : base($"Cannot use the certificate file {path}: {problem}", innerException)
    {
        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }
}
