using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Get-OciImageConfig: the config of an image (its user, entrypoint, environment, labels, history) as an object,
/// read from the config blob, capped and verified against its digest.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Get-OciImageConfig.md</c>.</remarks>
[Cmdlet(VerbsCommon.Get, "OciImageConfig")]
[OutputType(typeof(OciImageConfig))]
public sealed class GetOciImageConfigCommand : ManifestQueryCmdlet
{
    private protected override async Task AskAsync(Reference reference, Platform? platform, CancellationToken cancellationToken)
    {
        var image = await ClientFor(reference.Registry).InspectImageAsync(reference, platform, cancellationToken).ConfigureAwait(false);
        QueueVerbose($"Read the config {image.Manifest.Config.Digest} of {image.Manifest.Digest}: {Size.Format(image.Manifest.Config.Size)}, verified.");
        QueueObject(new OciImageConfig(image.Manifest, image.Config));
    }
}
