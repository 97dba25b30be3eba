using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Completion;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Get-OciTag: lists the tags of a repository, page by page as the registry sends them, optionally filtered by
/// wildcard or regular expression, sorted by version or name, and cut to the first few.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Get-OciTag.md</c>.</remarks>
[Cmdlet(VerbsCommon.Get, "OciTag")]
[OutputType(typeof(OciTag))]
public sealed class GetOciTagCommand : RegistryCmdlet
{
    private const string SortByVersion = "Version";
    private const string SortByName = "Name";

    private WildcardPattern[] _include = [];
    private WildcardPattern[] _exclude = [];
    private Regex? _match;

    /// <summary>The repository: <c>[registry[:port]/]repository</c>; a tag or digest in it is ignored.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RepositoryCompleter))]
    public string Reference { get; set; } = string.Empty;

    /// <summary>How many tags to ask for per page (<c>n</c>); by default the registry decides.</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int? PageSize { get; set; }

    /// <summary>Wildcards a tag must match one of (case-insensitive).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Include { get; set; }

    /// <summary>Wildcards a tag must match none of (case-insensitive).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Exclude { get; set; }

    /// <summary>A .NET regular expression a tag must match (case-insensitive, like <c>-match</c>).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Match { get; set; }

    /// <summary>Version or Name; sorting waits for the last page.</summary>
    [Parameter]
    [ValidateSet(SortByVersion, SortByName)]
    public string? Sort { get; set; }

    /// <summary>Newest version (or last name) first; without -Sort, sorts by name.</summary>
    [Parameter]
    public SwitchParameter Descending { get; set; }

    /// <summary>At most this many tags per repository, after filtering and sorting.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        // Patterns are checked here, before any request: a typo in a pattern is not worth a listing of 10,000 tags.
        _include = Wildcards(Include, nameof(Include));
        _exclude = Wildcards(Exclude, nameof(Exclude));
        if (Match is not null)
        {
            try
            {
                // A pattern that backtracks without end on a hostile tag must not hang the listing (Ctrl+C cannot stop a match).
                _match = new Regex(Match, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-Match '{Match}' is not a valid regular expression: {e.Message}", e), ErrorIds.InvalidTagPattern, ErrorCategory.InvalidArgument, Match));
            }
        }

        base.BeginProcessing();
    }

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

        RunAsync(ct => StreamAsync(repository.Registry, (client, token) => SelectAsync(client, repository.Repository, token), tag => new OciTag(repository.Registry, repository.Repository, tag), Reference, ErrorSubject.Repository, ct));
    }

    // Without a sort, tags stream through as pages arrive, and once -First is reached the listing is abandoned, so
    // no further page is requested. A sort needs every tag, so it happens after the last page.
    private async IAsyncEnumerable<string> SelectAsync(RegistryClient client, string repository, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tags = client.ListTagsAsync(repository, PageSize, cancellationToken);
        var limit = First ?? int.MaxValue;
        if (Sort is null && !Descending)
        {
            var written = 0;
            await foreach (var tag in tags.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (IsSelected(tag))
                {
                    yield return tag;
                    if (++written == limit)
                    {
                        yield break;
                    }
                }
            }

            yield break;
        }

        var kept = new List<string>();
        await foreach (var tag in tags.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (IsSelected(tag))
            {
                kept.Add(tag);
            }
        }

        var sorted = Sorted(kept);
        for (var i = 0; i < sorted.Count && i < limit; i++)
        {
            yield return sorted[i];
        }
    }

    private IReadOnlyList<string> Sorted(List<string> tags)
    {
        if (Sort == SortByVersion)
        {
            return (Descending ? TagVersionComparer.Descending : TagVersionComparer.Ascending).Sort(tags);
        }

        // Ordinal, as registries list tags: culture rules would make the order depend on the machine.
        tags.Sort(StringComparer.Ordinal);
        if (Descending)
        {
            tags.Reverse();
        }

        return tags;
    }

    private bool IsSelected(string tag)
    {
        if (_include.Length > 0 && !Array.Exists(_include, pattern => pattern.IsMatch(tag)))
        {
            return false;
        }

        return !Array.Exists(_exclude, pattern => pattern.IsMatch(tag)) && (_match is null || _match.IsMatch(tag));
    }

    private WildcardPattern[] Wildcards(string[]? patterns, string parameter)
    {
        if (patterns is null)
        {
            return [];
        }

        var compiled = new WildcardPattern[patterns.Length];
        for (var i = 0; i < patterns.Length; i++)
        {
            try
            {
                compiled[i] = new WildcardPattern(patterns[i], WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);

                // A pattern is parsed when first used: use it now, so that '[' fails here and not on the first tag.
                compiled[i].IsMatch(string.Empty);
            }
            catch (WildcardPatternException e)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-{parameter} '{patterns[i]}' is not a valid wildcard pattern: {e.Message}", e), ErrorIds.InvalidTagPattern, ErrorCategory.InvalidArgument, patterns[i]));
            }
        }

        return compiled;
    }
}
