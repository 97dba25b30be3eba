using System;
using OciRegistry.TestRegistry;

namespace OciRegistry.Output;

/// <summary>
/// A fault for a test registry, made by <c>New-OciTestRegistryFault</c> and given to <c>Start-OciTestRegistry -Fault</c>
/// or <c>Add-OciTestRegistryFault</c>. Properties that do not apply to its <see cref="Kind"/> are null.
/// </summary>
public sealed class OciTestRegistryFault
{
    internal OciTestRegistryFault(FaultRule rule)
    {
        Rule = rule;
    }

    /// <summary>What it does: Fail, Delay, Stall, Trickle, CutBody, CorruptByte, IgnoreRange or Redirect.</summary>
    public string Kind => Rule.Kind.ToString();

    /// <summary>The wildcard the request path must match; null for every path.</summary>
    public string? Path => Rule.PathPattern;

    /// <summary>The regular expression the request path must match; null for every path.</summary>
    public string? PathRegex => Rule.PathRegex;

    /// <summary>The HTTP method it applies to; null for any.</summary>
    public string? Method => Rule.Method;

    /// <summary>Registry or Cdn; null for both.</summary>
    public string? Origin => Rule.Origin?.ToString();

    /// <summary>How many requests it changes; null for every one.</summary>
    public int? Count => Rule.Count;

    /// <summary>How many matching requests it lets pass before it acts.</summary>
    public int Skip => Rule.Skip;

    /// <summary>Whether <see cref="Count"/> is counted for each distinct path.</summary>
    public bool EachPath => Rule.CountEachPath;

    /// <summary>The status a Fail answers with.</summary>
    public int? StatusCode => Rule.Kind == FaultKind.Fail ? Rule.StatusCode : null;

    /// <summary>The Retry-After a Fail sends.</summary>
    public TimeSpan? RetryAfter => Rule.Kind == FaultKind.Fail ? Rule.RetryAfter : null;

    /// <summary>Where in the content CutBody, CorruptByte or Stall act (in the upload, for CutUpload); null for their default.</summary>
    public long? Offset => Rule.Offset;

    /// <summary>How long a Delay waits.</summary>
    public TimeSpan? Delay => Rule.Kind == FaultKind.Delay ? Rule.Delay : null;

    /// <summary>The rate of a Trickle.</summary>
    public long? BytesPerSecond => Rule.Kind == FaultKind.Trickle ? Rule.BytesPerSecond : null;

    /// <summary>One line saying what, where and how often, e.g. <c>Fail 503 (first 1 per path)</c>.</summary>
    public string Description => Rule.ToString();

    internal FaultRule Rule { get; }

    /// <summary>The description.</summary>
    public override string ToString() => Description;
}
