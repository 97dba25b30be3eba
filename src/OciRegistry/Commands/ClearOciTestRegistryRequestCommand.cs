using System.Management.Automation;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Clear-OciTestRegistryRequest: forgets the requests test registries have logged, so that the next assertions see
/// only what follows.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Clear-OciTestRegistryRequest.md</c>.</remarks>
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
