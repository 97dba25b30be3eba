using System.Linq;
using System.Management.Automation;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// <para type="synopsis">Adds faults to a running test registry; they act from the next request on.</para>
/// <para type="description">Faults act in the order they were added; when several of one kind match a request, the first with requests left fires.</para>
/// </summary>
/// <example><code>New-OciTestRegistryFault Fail -StatusCode 503 -Count 2 | Add-OciTestRegistryFault $registry</code></example>
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
