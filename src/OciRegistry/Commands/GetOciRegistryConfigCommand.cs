using System;
using System.Linq;
using System.Management.Automation;
using OciRegistry.Core.Client;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Get-OciRegistryConfig: what the user's registry configuration says per registry (mirrors, plain HTTP, scheme,
/// certificate authorities), with the mirrors Docker's daemon.json gives docker.io.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Get-OciRegistryConfig.md</c>.</remarks>
[Cmdlet(VerbsCommon.Get, "OciRegistryConfig")]
[OutputType(typeof(OciRegistryConfig))]
public sealed class GetOciRegistryConfigCommand : PSCmdlet
{
    /// <summary>Registries to show (wildcards); all when not given.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Registry { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var path = RegistryConfiguration.DefaultPath();
        RegistrySettings[] entries;
        try
        {
            // As a pull sees them: the file, registries.conf's mirrors, and daemon.json's for docker.io.
            entries = [.. RegistryConfiguration.All(path)];
        }
        catch (RegistryConfigurationException e)
        {
            WriteError(new ErrorRecord(e, ErrorIds.RegistryConfigInvalid, ErrorCategory.InvalidData, path) { ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = "Fix or remove the file; Set-OciRegistryConfig rewrites it whole." } });
            return;
        }

        var patterns = (Registry ?? ["*"]).Select(r => new WildcardPattern(r, WildcardOptions.IgnoreCase)).ToList();
        foreach (var entry in entries)
        {
            if (patterns.Any(p => p.IsMatch(entry.Registry)))
            {
                WriteObject(new OciRegistryConfig(entry));
            }
        }
    }
}
