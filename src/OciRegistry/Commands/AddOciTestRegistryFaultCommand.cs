using System.Linq;
using System.Management.Automation;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Add-OciTestRegistryFault: adds faults to a running test registry; they act from the next request on.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Add-OciTestRegistryFault.md</c>.</remarks>
[Cmdlet(VerbsCommon.Add, "OciTestRegistryFault")]
[OutputType(typeof(void))]
public sealed class AddOciTestRegistryFaultCommand : PSCmdlet
{
    /// <summary>The registry to add the faults to, from Start-OciTestRegistry.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public OciTestRegistry? Registry { get; set; }

    /// <summary>The faults, from New-OciTestRegistryFault.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public OciTestRegistryFault[] Fault { get; set; } = [];

    /// <inheritdoc/>
    protected override void ProcessRecord() => Registry!.Server.Faults.AddRange(Fault.Select(f => f.Rule));
}
