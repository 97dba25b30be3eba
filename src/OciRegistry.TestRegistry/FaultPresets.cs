using System.Collections.Generic;

namespace OciRegistry.TestRegistry;

/// <summary>Ready-made sets of <see cref="FaultRule"/>s.</summary>
public static class FaultPresets
{
    /// <summary>
    /// The seed client's test wrapper (Monogon <c>osbase/oci/registry/client_test.go</c>): every path fails once
    /// with 503, every manifest, blob and tag list request is redirected to the CDN origin, and the first download
    /// of every blob is cut halfway. The wrapper also demanded a bearer token: that is
    /// <see cref="TestRegistryAuthMode.Bearer"/>, chosen in <see cref="TestRegistryOptions"/>. A client that
    /// retries, follows redirects, authenticates and resumes still pulls everything, verified.
    /// </summary>
    public static IReadOnlyList<FaultRule> Unreliable { get; } =
    [
        new FaultRule(FaultKind.Fail) { StatusCode = 503, Count = 1, CountEachPath = true },
        new FaultRule(FaultKind.Redirect),
        new FaultRule(FaultKind.CutBody) { PathPattern = "*/blobs/*", Count = 1, CountEachPath = true },
    ];
}
