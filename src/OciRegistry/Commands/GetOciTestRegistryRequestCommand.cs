using System.Management.Automation;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Get-OciTestRegistryRequest: lists the requests a test registry and its CDN origin handled, oldest first, for tests
/// to assert on.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Get-OciTestRegistryRequest.md</c>.</remarks>
[Cmdlet(VerbsCommon.Get, "OciTestRegistryRequest")]
[OutputType(typeof(OciTestRegistryRequest))]
public sealed class GetOciTestRegistryRequestCommand : PSCmdlet
{
    /// <summary>The registries whose requests to list, from Start-OciTestRegistry.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public OciTestRegistry[] Registry { get; set; } = [];

    /// <summary>Only requests whose path matches this wildcard, e.g. '*/blobs/*'.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Only requests with this HTTP method.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Method { get; set; }

    /// <summary>Only requests to the registry itself, or only to its CDN origin.</summary>
    [Parameter]
    [ValidateSet("Registry", "Cdn")]
    public string? Origin { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var path = Path is null ? null : new WildcardPattern(Path, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
        foreach (var registry in Registry)
        {
            foreach (var entry in registry.Server.Requests)
            {
                var request = new OciTestRegistryRequest(entry);
                if ((path is null || path.IsMatch(request.Path)) &&
                    (Method is null || string.Equals(Method, request.Method, System.StringComparison.OrdinalIgnoreCase)) &&
                    (Origin is null || string.Equals(Origin, request.Origin, System.StringComparison.OrdinalIgnoreCase)))
                {
                    WriteObject(request);
                }
            }
        }
    }
}
