using System;
using System.Collections.Generic;
using System.Linq;

namespace OciRegistry.TestRegistry;

/// <summary>
/// The name/value pairs of a query or an <c>application/x-www-form-urlencoded</c> body, in order, repeated names
/// kept (a token request may carry several <c>scope</c>s); '+' is a space.
/// https://url.spec.whatwg.org/#urlencoded-parsing.
/// </summary>
internal sealed class QueryString
{
    private readonly List<KeyValuePair<string, string>> _pairs = [];

    private QueryString()
    {
    }

    /// <summary>Parses urlencoded <paramref name="text"/> (no leading '?').</summary>
    public static QueryString Parse(string? text)
    {
        var query = new QueryString();
        foreach (var pair in (text ?? string.Empty).Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var key = Unescape(equals < 0 ? pair : pair.Substring(0, equals));
            var value = equals < 0 ? string.Empty : Unescape(pair.Substring(equals + 1));
            query._pairs.Add(new KeyValuePair<string, string>(key, value));
        }

        return query;
    }

    /// <summary>The query of a raw request target (without its fragment).</summary>
    public static QueryString FromTarget(string? rawTarget)
    {
        var start = rawTarget?.IndexOf('?') ?? -1;
        if (start < 0)
        {
            return new QueryString();
        }

        var query = rawTarget!.Substring(start + 1);
        var fragment = query.IndexOf('#');
        return Parse(fragment < 0 ? query : query.Substring(0, fragment));
    }

    /// <summary>The first value of <paramref name="name"/>; null when absent.</summary>
    public string? First(string name) => _pairs.Where(p => p.Key == name).Select(p => p.Value).FirstOrDefault();

    /// <summary>Every value of <paramref name="name"/>, in order.</summary>
    public IEnumerable<string> All(string name) => _pairs.Where(p => p.Key == name).Select(p => p.Value);

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
