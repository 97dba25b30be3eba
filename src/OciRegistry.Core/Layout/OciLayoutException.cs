using System;

namespace OciRegistry.Core.Layout;

/// <summary>A folder that is not a usable OCI image layout: files missing, malformed, or not matching their digests.</summary>
public sealed class OciLayoutException : OciException
{
    /// <summary>Creates the exception for the layout at <paramref name="layoutPath"/>.</summary>
    public OciLayoutException(string layoutPath, string problem, Exception? innerException = null)
        : base($"'{layoutPath}' is not a usable OCI image layout: {problem}", innerException)
    {
        LayoutPath = layoutPath;
        Problem = problem;
    }

    /// <summary>The full path of the layout folder.</summary>
    public string LayoutPath { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }
}
