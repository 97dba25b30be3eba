using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Resolve-OciDigest: the digest a tag (or, with -Platform, a platform of an index) names, from one HEAD where the
/// registry allows it, with the reference pinned to that digest.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Resolve-OciDigest.md</c>.</remarks>
[Cmdlet(VerbsDiagnostic.Resolve, "OciDigest")]
[OutputType(typeof(OciResolvedDigest))]
public sealed class ResolveOciDigestCommand : ManifestQueryCmdlet
{
    private protected override async Task AskAsync(Reference reference, Platform? platform, CancellationToken cancellationToken) =>
        QueueObject(new OciResolvedDigest(await ClientFor(reference.Registry).ResolveManifestAsync(reference, platform, cancellationToken).ConfigureAwait(false)));
}
