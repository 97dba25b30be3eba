using System.Management.Automation;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Clear-OciTestRegistryFault: removes every fault from test registries: they serve faithfully again from the next
/// request on.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Clear-OciTestRegistryFault.md</c>.</remarks>
[Cmdlet(VerbsCommon.Clear, "OciTestRegistryFault")]
[OutputType(typeof(void))]
public sealed class ClearOciTestRegistryFaultCommand : PSCmdlet
{
    /// <summary>The registries to clear, from Start-OciTestRegistry.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public OciTestRegistry[] Registry { get; set; } = [];

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var registry in Registry)
        {
            registry.Server.Faults.Clear();
        }
    }
}
