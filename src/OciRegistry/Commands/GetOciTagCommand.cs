using System.Management.Automation;
using OciRegistry.Core.References;
using OciRegistry.Completion;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Get-OciTag: lists the tags of a repository, page by page as the registry sends them.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Get-OciTag.md</c>.</remarks>
[Cmdlet(VerbsCommon.Get, "OciTag")]
[OutputType(typeof(OciTag))]
public sealed class GetOciTagCommand : RegistryCmdlet
{
    /// <summary>The repository: <c>[registry[:port]/]repository</c>; a tag or digest in it is ignored.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RepositoryCompleter))]
    public string Reference { get; set; } = string.Empty;

    /// <summary>How many tags to ask for per page (<c>n</c>); by default the registry decides.</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int? PageSize { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        Reference repository;
        try
        {
            repository = Core.References.Reference.ParseRepository(Reference);
        }
        catch (InvalidReferenceException e)
        {
            WriteError(ErrorMapping.ToErrorRecord(e, Reference, ErrorSubject.Repository));
            return;
        }

        RunAsync(ct => StreamAsync(repository.Registry, (client, token) => client.ListTagsAsync(repository.Repository, PageSize, token), tag => new OciTag(repository.Registry, repository.Repository, tag), Reference, ErrorSubject.Repository, ct));
    }
}
