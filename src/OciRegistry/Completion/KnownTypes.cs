using System.Collections.Generic;
using OciRegistry.Core.Models;

namespace OciRegistry.Completion;

/// <summary>The lists Tab completion offers without asking a registry: platforms, media types, artifact types.</summary>
internal static class KnownTypes
{
    /// <summary>Platforms images are commonly built for.</summary>
    public static readonly string[] Platforms =
    [
        "linux/amd64", "linux/arm64", "linux/arm64/v8", "linux/arm/v7", "linux/arm/v6", "linux/386",
        "linux/ppc64le", "linux/s390x", "linux/riscv64", "windows/amd64", "windows/arm64",
    ];

    /// <summary>Artifact types that referrers commonly carry: signatures, SBOMs, attestations, and the sample content's readme.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> ArtifactTypeNames =
    [
        new("application/vnd.dev.cosign.artifact.sig.v1+json", "cosign signature (OCI 1.1 referrers mode)"),
        new("application/vnd.dev.cosign.artifact.att.v1+json", "cosign attestation (OCI 1.1 referrers mode)"),
        new("application/vnd.dev.sigstore.bundle.v0.3+json", "Sigstore bundle (cosign 3 signatures and attestations)"),
        new("application/vnd.cncf.notary.signature", "Notation (Notary Project) signature"),
        new("application/spdx+json", "SPDX SBOM, JSON"),
        new("application/vnd.cyclonedx+json", "CycloneDX SBOM, JSON"),
        new("application/vnd.cyclonedx+xml", "CycloneDX SBOM, XML"),
        new("application/vnd.in-toto+json", "in-toto attestation"),
        new(TestRegistry.SampleContent.ReadmeArtifactType, "The readme artifact of Start-OciTestRegistry -SampleContent"),
    ];
}
