using System.Linq;
using System.Management.Automation;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Get-OciTestRegistry: lists the test registries started in this process and not yet stopped, oldest first, as the
/// objects Start-OciTestRegistry returned, so registries a test forgot to stop can be found and stopped.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Get-OciTestRegistry.md</c>.</remarks>
[Cmdlet(VerbsCommon.Get, "OciTestRegistry")]
[OutputType(typeof(OciTestRegistry))]
public sealed class GetOciTestRegistryCommand : PSCmdlet
{
    /// <summary>Only the registries listening on these ports.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public int[]? Port { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var registry in OciTestRegistry.AllRunning())
        {
            if (Port is null || Port.Contains(registry.Port))
            {
                WriteObject(registry);
            }
        }
    }
}
