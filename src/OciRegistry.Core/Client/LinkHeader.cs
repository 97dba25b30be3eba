using System;
using System.Collections.Generic;
using System.Text;

namespace OciRegistry.Core.Client;

/// <summary>
/// A pure parser of the RFC 8288 <c>Link</c> header: <c>&lt;uri&gt;; rel="next"; title="a, b", &lt;uri&gt;; rel=prev</c>.
/// Commas split links only outside the angle brackets and quoted strings, and <c>rel</c> may name several
/// relation types separated by spaces.
/// </summary>
internal static class LinkHeader
{
    /// <summary>One link: its target as written (not yet resolved) and its relation types, lower-cased.</summary>
    internal readonly struct Link
    {
        public Link(string target, IReadOnlyList<string> relations)
        {
            Target = target;
            Relations = relations;
        }

        public string Target { get; }

        public IReadOnlyList<string> Relations { get; }
    }

    /// <summary>Parses one header value into its links.</summary>
    /// <exception cref="FormatException">The value is not a list of <c>&lt;uri&gt;</c> links with parameters.</exception>
    public static IReadOnlyList<Link> Parse(string value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        var links = new List<Link>();
        var i = 0;
        while (true)
        {
            SkipSpaces(value, ref i);
            if (i == value.Length)
            {
                return links;
            }

            if (value[i] == ',')
            {
                // Empty list elements are allowed (RFC 9110 section 5.6.1).
                i++;
                continue;
            }

            if (value[i] != '<')
            {
                throw new FormatException($"a link must start with '<' at position {i}");
            }

            var close = value.IndexOf('>', i + 1);
            if (close < 0)
            {
                throw new FormatException($"the '<' at position {i} is never closed");
            }

            var target = value.Substring(i + 1, close - i - 1).Trim();
            i = close + 1;
            var relations = new List<string>();
            while (true)
            {
                SkipSpaces(value, ref i);
                if (i == value.Length || value[i] == ',')
                {
                    break;
                }

                if (value[i] != ';')
                {
                    throw new FormatException($"expected ';' or ',' at position {i}");
                }

                i++;
                SkipSpaces(value, ref i);
                var name = ReadToken(value, ref i);
                if (name.Length == 0)
                {
                    throw new FormatException($"a link parameter has no name at position {i}");
                }

                SkipSpaces(value, ref i);
                var parameter = string.Empty;
                if (i < value.Length && value[i] == '=')
                {
                    i++;
                    SkipSpaces(value, ref i);
                    parameter = i < value.Length && value[i] == '"' ? ReadQuoted(value, ref i) : ReadToken(value, ref i);
                }

                if (name.Equals("rel", StringComparison.OrdinalIgnoreCase) && relations.Count == 0)
                {
                    // Only the first rel counts (RFC 8288 section 3.3).
                    foreach (var relation in parameter.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                    {
                        relations.Add(relation.ToLowerInvariant());
                    }
                }
            }

            links.Add(new Link(target, relations));
        }
    }

    private static void SkipSpaces(string value, ref int i)
    {
        while (i < value.Length && (value[i] == ' ' || value[i] == '\t'))
        {
            i++;
        }
    }

    private static string ReadToken(string value, ref int i)
    {
        var start = i;
        while (i < value.Length && value[i] is not (';' or ',' or '=' or ' ' or '\t' or '"'))
        {
            i++;
        }

        return value.Substring(start, i - start);
    }

    private static string ReadQuoted(string value, ref int i)
    {
        var text = new StringBuilder();
        for (i++; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '"')
            {
                i++;
                return text.ToString();
            }

            if (c == '\\' && i + 1 < value.Length)
            {
                c = value[++i];
            }

            text.Append(c);
        }

        throw new FormatException("a quoted link parameter is never closed");
    }
}
