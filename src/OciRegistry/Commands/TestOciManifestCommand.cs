using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Commands;

/// <summary>
/// Test-OciManifest: whether a registry has a manifest or index (and, with -Platform, an image for that platform),
/// as $true or $false, from one HEAD where the registry allows it.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Test-OciManifest.md</c>.</remarks>
[Cmdlet(VerbsDiagnostic.Test, "OciManifest")]
[OutputType(typeof(bool))]
public sealed class TestOciManifestCommand : ManifestQueryCmdlet
{
    private protected override async Task AskAsync(Reference reference, Platform? platform, CancellationToken cancellationToken) =>
        QueueObject(await ClientFor(reference.Registry).ManifestExistsAsync(reference, platform, cancellationToken).ConfigureAwait(false));
}
