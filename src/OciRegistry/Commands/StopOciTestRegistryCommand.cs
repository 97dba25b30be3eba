using System.Management.Automation;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Stop-OciTestRegistry: stops test registries started with Start-OciTestRegistry and frees their ports.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Stop-OciTestRegistry.md</c>.</remarks>
[Cmdlet(VerbsLifecycle.Stop, "OciTestRegistry", SupportsShouldProcess = true, DefaultParameterSetName = RegistrySet)]
[OutputType(typeof(void))]
public sealed class StopOciTestRegistryCommand : PSCmdlet
{
    private const string RegistrySet = "Registry";
    private const string AllSet = "All";

    /// <summary>The registries to stop; without it, every registry started in this process.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ParameterSetName = RegistrySet)]
    public OciTestRegistry[]? Registry { get; set; }

    /// <summary>Stops every registry started in this process and not yet stopped (what Get-OciTestRegistry lists).</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (Registry is null)
        {
            return;
        }

        foreach (var registry in Registry)
        {
            StopOne(registry);
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        // Only a bare call stops everything: an empty pipeline stops nothing.
        if (All.IsPresent || (!MyInvocation.ExpectingInput && !MyInvocation.BoundParameters.ContainsKey(nameof(Registry))))
        {
            foreach (var registry in OciTestRegistry.AllRunning())
            {
                StopOne(registry);
            }
        }
    }

    private void StopOne(OciTestRegistry registry)
    {
        if (registry is not null && ShouldProcess(registry.Url.ToString(), "Stop the test registry"))
        {
            registry.Stop();
        }
    }
}
