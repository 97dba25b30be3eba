using System;
using System.Collections.Generic;
using System.Text;

namespace OciRegistry.Core.Client;

/// <summary>
/// Parses <c>Warning</c> header values (RFC 7234 §5.5): <c>warn-code SP warn-agent SP warn-text [SP warn-date]</c>,
/// comma-separated, where warn-text is a quoted string. The distribution spec lets registries send informational
/// warnings this way with code 299 and agent <c>-</c>, e.g. <c>Warning: 299 - "This repository is deprecated."</c>
/// A pure function: malformed input ends the value it is in, never the caller.
/// </summary>
/// <remarks>
/// https://www.rfc-editor.org/rfc/rfc7234#section-5.5 and
/// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#warnings.
/// </remarks>
internal static class WarningHeaderParser
{
    /// <summary>
    /// The texts of the code-299 warnings in <paramref name="values"/>, printable and shortened; other codes are
    /// caching notes from intermediaries (RFC 7234's 1xx and 214), not messages for the user. Only the first
    /// <see cref="Limits.WarningHeaderBytes"/> characters of all values together are read.
    /// </summary>
    public static IReadOnlyList<string> Parse(IEnumerable<string> values)
    {
        var texts = new List<string>();
        var budget = Limits.WarningHeaderBytes;
        foreach (var value in values)
        {
            if (value is null || budget <= 0)
            {
                continue;
            }

            var text = value.Length > budget ? value.Substring(0, budget) : value;
            budget -= text.Length;
            ParseValue(text, texts);
            if (texts.Count >= Limits.MaxWarnings)
            {
                return texts.GetRange(0, Limits.MaxWarnings);
            }
        }

        return texts;
    }

    private static void ParseValue(string value, List<string> texts)
    {
        var i = 0;
        while (i < value.Length)
        {
            // Empty list elements and whitespace between elements (RFC 7230 §7: 1#element).
            while (i < value.Length && (value[i] == ',' || value[i] == ' ' || value[i] == '\t'))
            {
                i++;
            }

            if (i >= value.Length)
            {
                return;
            }

            if (i + 3 > value.Length || !IsDigit(value[i]) || !IsDigit(value[i + 1]) || !IsDigit(value[i + 2]))
            {
                return;
            }

            var code = value.Substring(i, 3);
            i += 3;
            if (!Space(value, ref i))
            {
                return;
            }

            var agentStart = i;
            while (i < value.Length && value[i] != ' ' && value[i] != '\t' && value[i] != ',' && value[i] != '"')
            {
                i++;
            }

            if (i == agentStart || !Space(value, ref i))
            {
                return;
            }

            var text = QuotedString(value, ref i);
            if (text is null)
            {
                return;
            }

            // An optional warn-date: SP and a quoted HTTP-date, which says nothing the user needs.
            var afterText = i;
            if (Space(value, ref i) && i < value.Length && value[i] == '"')
            {
                if (QuotedString(value, ref i) is null)
                {
                    return;
                }
            }
            else
            {
                i = afterText;
            }

            if (code == "299" && Printable(text) is { Length: > 0 } printable)
            {
                texts.Add(printable);
            }

            while (i < value.Length && (value[i] == ' ' || value[i] == '\t'))
            {
                i++;
            }

            if (i < value.Length && value[i] != ',')
            {
                return;
            }
        }
    }

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static bool Space(string value, ref int i)
    {
        var start = i;
        while (i < value.Length && (value[i] == ' ' || value[i] == '\t'))
        {
            i++;
        }

        return i > start;
    }

    /// <summary>An RFC 7230 quoted-string at <paramref name="i"/>, unescaped; null when it is not one or never ends.</summary>
    private static string? QuotedString(string value, ref int i)
    {
        if (i >= value.Length || value[i] != '"')
        {
            return null;
        }

        var builder = new StringBuilder();
        for (var j = i + 1; j < value.Length; j++)
        {
            var c = value[j];
            if (c == '"')
            {
                i = j + 1;
                return builder.ToString();
            }

            if (c == '\\')
            {
                if (++j >= value.Length)
                {
                    return null;
                }

                c = value[j];
            }

            builder.Append(c);
        }

        return null;
    }

    /// <summary>Secrets are redacted (<see cref="TextRedactor"/>), control characters (terminal escapes, line breaks) become spaces; long texts are cut.</summary>
    private static string Printable(string text)
    {
        text = TextRedactor.Redact(text)!;
        var builder = new StringBuilder(Math.Min(text.Length, Limits.WarningTextChars + 1));
        foreach (var c in text)
        {
            if (builder.Length >= Limits.WarningTextChars)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }
}
