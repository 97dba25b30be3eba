using System;
using OciRegistry.Core.Client;

namespace OciRegistry.Output;

/// <summary>
/// A registry's pull rate limit as its headers state it (Get-OciRateLimit). Every value is null when the registry
/// states none; <see cref="HasLimit"/> says which, so that <c>$limit.Remaining -lt 10</c> (true for null) is not
/// the only test a script makes.
/// </summary>
public sealed class OciRateLimit
{
    internal OciRateLimit(string reference, string registry, RateLimit? limit)
    {
        Reference = reference;
        Registry = registry;
        Limit = limit?.Limit;
        Remaining = limit?.Remaining;
        Window = limit?.Window;
        Source = limit?.Source;
    }

    /// <summary>The manifest that was asked about, normalised.</summary>
    public string Reference { get; }

    /// <summary>The registry.</summary>
    public string Registry { get; }

    /// <summary>How many pulls the window allows (<c>ratelimit-limit</c>); null when not stated.</summary>
    public int? Limit { get; }

    /// <summary>How many pulls are left in it (<c>ratelimit-remaining</c>); null when not stated.</summary>
    public int? Remaining { get; }

    /// <summary>The window the limit counts over (the <c>w</c> of the headers; Docker Hub: 6 hours); null when not stated.</summary>
    public TimeSpan? Window { get; }

    /// <summary>Who the limit is counted for (<c>docker-ratelimit-source</c>): an IP address, or an account id.</summary>
    public string? Source { get; }

    /// <summary>Whether the registry stated a limit or what remains of one.</summary>
    public bool HasLimit => Limit is not null || Remaining is not null;

    /// <summary><c>Remaining/Limit</c>, or <c>no limit stated</c>.</summary>
    public override string ToString() => HasLimit ? $"{Count(Remaining)}/{Count(Limit)}" : "no limit stated";

    private static string Count(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}
