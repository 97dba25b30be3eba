using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OciRegistry.TestRegistry;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// New-OciTestRegistryFault: describes a fault for a test registry to inject: fail, delay, stall, trickle, cut or
/// corrupt a body, ignore Range, redirect to the CDN origin, or cut an upload mid-chunk.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/New-OciTestRegistryFault.md</c>.</remarks>
[Cmdlet(VerbsCommon.New, "OciTestRegistryFault", DefaultParameterSetName = KindSet)]
[OutputType(typeof(OciTestRegistryFault))]
public sealed class NewOciTestRegistryFaultCommand : PSCmdlet
{
    private const string KindSet = "Kind";
    private const string PresetSet = "Preset";

    // The parameters that only mean something for one kind (or a few); the rest apply to every kind.
    private static readonly Dictionary<string, FaultKind[]> KindParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(StatusCode)] = [FaultKind.Fail],
        [nameof(RetryAfter)] = [FaultKind.Fail],
        [nameof(Body)] = [FaultKind.Fail],
        [nameof(ContentType)] = [FaultKind.Fail],
        [nameof(Header)] = [FaultKind.Fail],
        [nameof(Delay)] = [FaultKind.Delay],
        [nameof(BytesPerSecond)] = [FaultKind.Trickle],
        [nameof(Offset)] = [FaultKind.CutBody, FaultKind.CorruptByte, FaultKind.Stall, FaultKind.CutUpload],
    };

    /// <summary>
    /// What the fault does. Fail: answer -StatusCode. Delay: wait -Delay before answering. Stall: send the headers
    /// (and the body up to -Offset), then nothing. Trickle: send the body at -BytesPerSecond. CutBody: drop the
    /// connection at -Offset (default: halfway). CorruptByte: flip the byte at -Offset (default: the middle one).
    /// IgnoreRange: answer a ranged blob request with 200 and the whole blob. Redirect: send GET/HEAD of
    /// manifests, blobs and tag lists to the CDN origin with a signed URL. CutUpload: take an upload's PATCH or PUT body
    /// up to -Offset (from the upload's start; default: half the chunk), keep it, and drop the connection.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = KindSet)]
    [ValidateSet("Fail", "Delay", "Stall", "Trickle", "CutBody", "CorruptByte", "IgnoreRange", "Redirect", "CutUpload")]
    public string Kind { get; set; } = string.Empty;

    /// <summary>A ready-made set of faults instead of one. Unreliable: every path fails once with 503, everything is redirected to the CDN origin, and each blob's first download is cut halfway.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PresetSet)]
    [ValidateSet("Unreliable")]
    public string Preset { get; set; } = string.Empty;

    /// <summary>Only requests whose path matches this wildcard, e.g. '*/blobs/*' or '/v2/samples/hello/manifests/*' (case-insensitive, whole path).</summary>
    [Parameter(ParameterSetName = KindSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Only requests whose path matches this regular expression (case-insensitive, like -match).</summary>
    [Parameter(ParameterSetName = KindSet)]
    [ValidateNotNullOrEmpty]
    public string? PathRegex { get; set; }

    /// <summary>Only requests with this HTTP method (GET, HEAD, POST).</summary>
    [Parameter(ParameterSetName = KindSet)]
    [ValidateNotNullOrEmpty]
    public string? Method { get; set; }

    /// <summary>Only requests to the registry itself or only to its CDN origin; by default both.</summary>
    [Parameter(ParameterSetName = KindSet)]
    [ValidateSet("Registry", "Cdn")]
    public string? Origin { get; set; }

    /// <summary>Change only the first this many matching requests; by default every one.</summary>
    [Parameter(ParameterSetName = KindSet)]
    [ValidateRange(1, int.MaxValue)]
    public int? Count { get; set; }

    /// <summary>Let this many matching requests pass untouched first (-Skip 1 -Count 1: only the second one); not with -EachPath.</summary>
    [Parameter(ParameterSetName = KindSet)]
    [ValidateRange(0, int.MaxValue)]
    public int Skip { get; set; }

    /// <summary>Count -Count for each distinct path: -Count 1 -EachPath fails every path once.</summary>
    [Parameter(ParameterSetName = KindSet)]
    public SwitchParameter EachPath { get; set; }

    /// <summary>The status a Fail answers with (400-599); 503 by default.</summary>
    [Parameter(ParameterSetName = KindSet)]
    [ValidateRange(400, 599)]
    public int? StatusCode { get; set; }

    /// <summary>The Retry-After a Fail sends: seconds, or a TimeSpan (rounded up to whole seconds).</summary>
    [Parameter(ParameterSetName = KindSet)]
    [SecondsToTimeSpan]
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>
    /// The body a Fail sends instead of a spec error list: an HTML page, plain text, a storage bucket's XML error,
    /// whatever a broken or hostile server might say.
    /// </summary>
    [Parameter(ParameterSetName = KindSet)]
    [AllowEmptyString]
    public string? Body { get; set; }

    /// <summary>The Content-Type of -Body; text/plain by default.</summary>
    [Parameter(ParameterSetName = KindSet)]
    [ValidateNotNullOrEmpty]
    public string? ContentType { get; set; }

    /// <summary>Headers a Fail adds to its answer, e.g. @{ 'WWW-Authenticate' = 'Bearer realm=' } with -StatusCode 401.</summary>
    [Parameter(ParameterSetName = KindSet)]
    [ValidateNotNull]
    public Hashtable? Header { get; set; }

    /// <summary>The byte of the blob or manifest where CutBody, CorruptByte or Stall act, counted from its start; for CutUpload, the byte of the upload.</summary>
    [Parameter(ParameterSetName = KindSet)]
    [ValidateRange(0, long.MaxValue)]
    public long? Offset { get; set; }

    /// <summary>How long a Delay waits: seconds, or a TimeSpan; one second by default.</summary>
    [Parameter(ParameterSetName = KindSet)]
    [SecondsToTimeSpan]
    public TimeSpan? Delay { get; set; }

    /// <summary>The rate of a Trickle; 64 KB/s by default.</summary>
    [Parameter(ParameterSetName = KindSet)]
    [ValidateRange(1, long.MaxValue)]
    public long? BytesPerSecond { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ParameterSetName == PresetSet)
        {
            foreach (var preset in FaultPresets.Unreliable)
            {
                WriteObject(new OciTestRegistryFault(preset));
            }

            return;
        }

        var kind = (FaultKind)Enum.Parse(typeof(FaultKind), Kind, ignoreCase: true);
        foreach (var name in KindParameters.Keys.Where(MyInvocation.BoundParameters.ContainsKey))
        {
            if (!KindParameters[name].Contains(kind))
            {
                Fail(new ArgumentException($"-{name} does not apply to a {kind} fault."), ErrorIds.FaultParameterNotApplicable, name);
            }
        }

        var rule = new FaultRule(kind)
        {
            PathPattern = Path,
            PathRegex = PathRegex,
            Method = Method?.ToUpperInvariant(),
            Origin = Origin is null ? null : (TestRegistryOrigin)Enum.Parse(typeof(TestRegistryOrigin), Origin, ignoreCase: true),
            Count = Count,
            CountEachPath = EachPath.IsPresent,
            Skip = Skip,
            RetryAfter = RetryAfter,
            Offset = Offset,
            Body = Body,
            ContentType = ContentType,
            Headers = Header is null ? null : HeadersOf(Header),
        };
        rule = rule with
        {
            StatusCode = StatusCode ?? rule.StatusCode,
            Delay = Delay ?? rule.Delay,
            BytesPerSecond = BytesPerSecond ?? rule.BytesPerSecond,
        };
        try
        {
            rule.Validate();
        }
        catch (ArgumentException e)
        {
            Fail(e, ErrorIds.InvalidFault, rule);
        }

        WriteObject(new OciTestRegistryFault(rule));
    }

    // Last one wins when a case-sensitive table names a header twice.
    private static Dictionary<string, string> HeadersOf(Hashtable table)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in table)
        {
            headers[entry.Key?.ToString() ?? string.Empty] = LanguagePrimitives.ConvertTo<string>(entry.Value) ?? string.Empty;
        }

        return headers;
    }

    private void Fail(ArgumentException error, string id, object target) =>
        ThrowTerminatingError(new ErrorRecord(error, id, ErrorCategory.InvalidArgument, target));
}
