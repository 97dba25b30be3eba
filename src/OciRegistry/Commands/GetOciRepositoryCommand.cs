using System;
using System.Management.Automation;
using OciRegistry.Core.References;
using OciRegistry.Completion;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Get-OciRepository: lists the repositories of a registry from its catalog, page by page as the registry sends them.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Get-OciRepository.md</c>.</remarks>
[Cmdlet(VerbsCommon.Get, "OciRepository")]
[OutputType(typeof(OciRepository))]
public sealed class GetOciRepositoryCommand : RegistryCmdlet
{
    /// <summary>The registry host and port, e.g. <c>localhost:5000</c> or <c>registry.example.com</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Host")]
    [ArgumentCompleter(typeof(RegistryCompleter))]
    [ValidateNotNullOrEmpty]
    public string Registry { get; set; } = string.Empty;

    /// <summary>How many repositories to ask for per page (<c>n</c>); by default the registry decides.</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int? PageSize { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        string registry;
        try
        {
            registry = ParseRegistry(Registry);
        }
        catch (InvalidReferenceException e)
        {
            WriteError(ErrorMapping.ToErrorRecord(e, Registry, ErrorSubject.Repository));
            return;
        }

        RunAsync(ct => StreamAsync(registry, (client, token) => client.ListRepositoriesAsync(PageSize, token), name => new OciRepository(registry, name), Registry, ErrorSubject.Repository, ct));
    }

    /// <summary>Checks a registry name with the reference grammar: it must be the registry part of <c>name/x</c>.</summary>
    private static string ParseRegistry(string text)
    {
        var trimmed = text.Trim().TrimEnd('/');
        var parsed = Reference.ParseRepository(trimmed + "/x");
        if (!string.Equals(parsed.Repository, "x", StringComparison.Ordinal) && !(parsed.Registry == Reference.DockerHub && parsed.Repository == "library/x"))
        {
            throw new InvalidReferenceException(text, "write the registry as host[:port], e.g. 'localhost:5000' or 'registry.example.com'");
        }

        return parsed.Registry;
    }
}
