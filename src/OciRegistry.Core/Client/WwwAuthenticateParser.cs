using System;
using System.Collections.Generic;
using System.Text;

namespace OciRegistry.Core.Client;

/// <summary>
/// A pure parser for <c>WWW-Authenticate</c> values (RFC 9110 §11.6.1, grammar in §11.3):
/// <code>
/// challenge  = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
/// auth-param = token BWS "=" BWS ( token / quoted-string )
/// token68    = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
/// </code>
/// A value that breaks the grammar anywhere, repeats a parameter within a challenge, or is absurdly long
/// yields no challenges at all: a half-understood challenge is worse than none. It never throws.
/// </summary>
public static class WwwAuthenticateParser
{

    /// <summary>Parses every value of the header, in order; an unusable value adds nothing.</summary>
    public static IReadOnlyList<AuthChallenge> Parse(IEnumerable<string>? values)
    {
        var all = new List<AuthChallenge>();
        if (values is null)
        {
            return all;
        }

        foreach (var value in values)
        {
            all.AddRange(Parse(value));
        }

        return all;
    }

    /// <summary>Parses one header value; returns an empty list for anything malformed.</summary>
    public static IReadOnlyList<AuthChallenge> Parse(string? value)
    {
        if (value is null || value.Length > Limits.ChallengeHeaderChars)
        {
            return Array.Empty<AuthChallenge>();
        }

        var cursor = new Cursor(value);
        var challenges = new List<AuthChallenge>();
        cursor.SkipListSeparators();
        while (!cursor.AtEnd)
        {
            var challenge = ParseChallenge(ref cursor);
            if (challenge is null)
            {
                return Array.Empty<AuthChallenge>();
            }

            challenges.Add(challenge);
            cursor.SkipListSeparators();
        }

        return challenges;
    }

    private static AuthChallenge? ParseChallenge(ref Cursor cursor)
    {
        var scheme = cursor.ReadToken();
        if (scheme.Length == 0)
        {
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var hadSpace = cursor.SkipSpaces();
        if (cursor.AtEnd || cursor.Peek == ',')
        {
            return new AuthChallenge(scheme, null, parameters);
        }

        if (!hadSpace)
        {
            return null;
        }

        // token68: the whole rest of this challenge, followed only by the end or a list comma.
        var start = cursor.Position;
        var token68 = cursor.ReadToken68();
        if (token68.Length > 0)
        {
            cursor.SkipSpaces();
            if (cursor.AtEnd || cursor.Peek == ',')
            {
                return new AuthChallenge(scheme, token68, parameters);
            }

            cursor.Position = start;
        }

        while (true)
        {
            var name = cursor.ReadToken();
            if (name.Length == 0)
            {
                return null;
            }

            cursor.SkipSpaces();
            if (cursor.AtEnd || cursor.Peek != '=')
            {
                return null;
            }

            cursor.Position++;
            cursor.SkipSpaces();
            var quoted = !cursor.AtEnd && cursor.Peek == '"';
            var parameterValue = quoted ? cursor.ReadQuotedString() : cursor.ReadToken();
            if (parameterValue is null || (!quoted && parameterValue.Length == 0))
            {
                return null;
            }

            if (parameters.ContainsKey(name) || parameters.Count == Limits.ChallengeParameters)
            {
                return null;
            }

            parameters[name] = parameterValue;
            cursor.SkipSpaces();
            if (cursor.AtEnd)
            {
                return new AuthChallenge(scheme, null, parameters);
            }

            if (cursor.Peek != ',')
            {
                return null;
            }

            // After a comma comes another parameter of this challenge, or the next challenge.
            cursor.SkipListSeparators();
            if (cursor.AtEnd || !cursor.NextIsParameter())
            {
                return new AuthChallenge(scheme, null, parameters);
            }
        }
    }

    private struct Cursor(string text)
    {
        private readonly string _text = text;

        public int Position { get; set; }

        public readonly bool AtEnd => Position >= _text.Length;

        public readonly char Peek => _text[Position];

        public bool SkipSpaces()
        {
            var start = Position;
            while (!AtEnd && (Peek == ' ' || Peek == '\t'))
            {
                Position++;
            }

            return Position > start;
        }

        public void SkipListSeparators()
        {
            while (!AtEnd && (Peek == ' ' || Peek == '\t' || Peek == ','))
            {
                Position++;
            }
        }

        public string ReadToken()
        {
            var start = Position;
            while (!AtEnd && IsTokenChar(Peek))
            {
                Position++;
            }

            return _text.Substring(start, Position - start);
        }

        public string ReadToken68()
        {
            var start = Position;
            while (!AtEnd && IsToken68Char(Peek))
            {
                Position++;
            }

            if (Position == start)
            {
                return string.Empty;
            }

            while (!AtEnd && Peek == '=')
            {
                Position++;
            }

            return _text.Substring(start, Position - start);
        }

        /// <summary>Reads a quoted-string with quoted-pair escapes; null when unterminated or holding a control character.</summary>
        public string? ReadQuotedString()
        {
            Position++;
            var builder = new StringBuilder();
            while (!AtEnd)
            {
                var ch = Peek;
                Position++;
                if (ch == '"')
                {
                    return builder.ToString();
                }

                if (ch == '\\')
                {
                    if (AtEnd)
                    {
                        return null;
                    }

                    ch = Peek;
                    Position++;
                }

                if (ch != '\t' && (ch < 0x20 || ch == 0x7F))
                {
                    return null;
                }

                builder.Append(ch);
            }

            return null;
        }

        /// <summary>Whether the text here is <c>token BWS "="</c> but not a token68 ending in '=' (e.g. "Basic abc=").</summary>
        public readonly bool NextIsParameter()
        {
            var probe = this;
            if (probe.ReadToken().Length == 0)
            {
                return false;
            }

            probe.SkipSpaces();
            return !probe.AtEnd && probe.Peek == '=';
        }

        private static bool IsTokenChar(char ch) =>
            ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' ||
            "!#$%&'*+-.^_`|~".IndexOf(ch) >= 0;

        private static bool IsToken68Char(char ch) =>
            ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '.' or '_' or '~' or '+' or '/';
    }
}
