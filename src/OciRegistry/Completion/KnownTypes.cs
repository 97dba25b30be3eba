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

    /// <summary>Media types from the OCI image spec (media-types.md) and Docker's image manifest v2 schema 2, with what each is.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> MediaTypeNames =
    [
        new(MediaTypes.OciManifest, "OCI image manifest"),
        new(MediaTypes.OciIndex, "OCI image index"),
        new(MediaTypes.OciConfig, "OCI image configuration"),
        new(MediaTypes.OciLayerTar, "OCI layer, uncompressed tar"),
        new(MediaTypes.OciLayerGzip, "OCI layer, gzip"),
        new(MediaTypes.OciLayerZstd, "OCI layer, zstd"),
        new(MediaTypes.OciEmpty, "OCI empty descriptor ({})"),
        new(MediaTypes.DockerManifest, "Docker image manifest v2 schema 2"),
        new(MediaTypes.DockerManifestList, "Docker manifest list"),
        new(MediaTypes.DockerConfig, "Docker image configuration"),
        new(MediaTypes.DockerLayerGzip, "Docker layer, gzip"),
        new("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", "Docker foreign layer, gzip"),
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
