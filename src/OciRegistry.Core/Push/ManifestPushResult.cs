using OciRegistry.Core.References;

namespace OciRegistry.Core.Push;

/// <summary>What a manifest PUT gave.</summary>
/// <param name="Digest">The digest of the bytes sent (checked against <c>Docker-Content-Digest</c> when the registry sent one).</param>
/// <param name="SubjectIndexed">
/// The registry answered with <c>OCI-Subject</c>: it has a referrers API and indexed the manifest under its subject,
/// so the referrers tag schema need not be updated.
/// </param>
public sealed record ManifestPushResult(Digest Digest, bool SubjectIndexed);
