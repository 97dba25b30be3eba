using System.Management.Automation;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// <para type="synopsis">Forgets the requests test registries have logged, so that the next assertions see only what follows.</para>
/// </summary>
/// <example><code>$registry | Clear-OciTestRegistryRequest</code></example>
[Cmdlet(VerbsCommon.Clear, "OciTestRegistryRequest")]
[OutputType(typeof(void))]
public sealed class ClearOciTestRegistryRequestCommand : PSCmdlet
{
    /// <summary>The registries whose logs to clear, from Start-OciTestRegistry.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public OciTestRegistry[] Registry { get; set; } = [];

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var registry in Registry)
        {
            registry.Server.Requests.Clear();
        }
    }
}
