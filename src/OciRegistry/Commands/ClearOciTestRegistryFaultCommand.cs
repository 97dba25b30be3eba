using System.Management.Automation;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// <para type="synopsis">Removes every fault from test registries: they serve faithfully again from the next request on.</para>
/// </summary>
/// <example><code>$registry | Clear-OciTestRegistryFault</code></example>
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
