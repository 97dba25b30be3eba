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
            entries = [.. RegistryConfiguration.Load(path)];
        }
        catch (RegistryConfigurationException e)
        {
            WriteError(new ErrorRecord(e, ErrorIds.RegistryConfigInvalid, ErrorCategory.InvalidData, path) { ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = "Fix or remove the file; Set-OciRegistryConfig rewrites it whole." } });
            return;
        }

        // Registries with mirrors from registries.conf, and docker.io with daemon.json's, as a pull would see them.
        var names = entries.Select(e => e.Registry)
            .Concat(ContainersRegistriesConf.Read(ContainersRegistriesConf.DefaultFiles()).Select(s => s.Registry))
            .Append("docker.io")
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        entries = [.. names.Select(name => RegistryConfiguration.For(name, path)).Where(s => s is not null).Select(s => s!)];

        var patterns = (Registry ?? ["*"]).Select(r => new WildcardPattern(r, WildcardOptions.IgnoreCase)).ToList();
        foreach (var entry in entries.OrderBy(e => e.Registry, StringComparer.OrdinalIgnoreCase))
        {
            if (patterns.Any(p => p.IsMatch(entry.Registry)))
            {
                WriteObject(new OciRegistryConfig(entry));
            }
        }
    }
}
