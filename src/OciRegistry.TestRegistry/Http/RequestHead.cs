using System;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;

namespace OciRegistry.TestRegistry.Http;

/// <summary>
/// The request line and header fields of one HTTP/1.x request, parsed strictly, since a test registry is also a
/// target for hostile clients: https://www.rfc-editor.org/rfc/rfc9112#section-2 and following.
/// <code>
/// request-line   = method SP request-target SP HTTP-version
/// HTTP-version   = "HTTP/" DIGIT "." DIGIT
/// field-line     = field-name ":" OWS field-value OWS
/// </code>
/// Lines end in CRLF or, as §2.2 allows a recipient to accept, a bare LF. Rejected with 400: whitespace before a
/// colon or at the start of a line (obs-fold, §5.2), control characters, a missing or repeated Host in HTTP/1.1
/// (§3.2), Content-Length next to Transfer-Encoding or two different lengths (§6.3, the request smuggling cases).
/// </summary>
internal sealed class RequestHead
{
    private RequestHead(string method, string target, int minorVersion, NameValueCollection headers)
    {
        Method = method;
        Target = target;
        MinorVersion = minorVersion;
        Headers = headers;
    }

    public string Method { get; }

    /// <summary>The request target in origin form (path and query), as sent.</summary>
    public string Target { get; }

    /// <summary>1 for HTTP/1.1, 0 for HTTP/1.0.</summary>
    public int MinorVersion { get; }

    /// <summary>The header fields; names compare case-insensitively, repeated fields join with commas.</summary>
    public NameValueCollection Headers { get; }

    /// <summary>The host of the Host field without its port; null when there was none (HTTP/1.0).</summary>
    public string? HostName { get; private set; }

    /// <summary>The body length the headers declare; -1 for a chunked body. 0 when neither header is sent (§6.3).</summary>
    public long ContentLength { get; private set; }

    public bool IsChunked => ContentLength < 0;

    /// <summary>Whether the client asked for <c>100 Continue</c> before sending its body.</summary>
    public bool ExpectsContinue { get; private set; }

    /// <summary>Whether the connection may carry another request after this one.</summary>
    public bool KeepAlive { get; private set; }

    /// <summary>Parses the bytes of a request head, up to and including the empty line that ends it.</summary>
    /// <exception cref="HttpProtocolException">The head is malformed (400) or of another HTTP version (505).</exception>
    public static RequestHead Parse(byte[] buffer, int offset, int count)
    {
        var end = offset + count;
        var position = offset;
        var requestLine = NextLine(buffer, ref position, end) ?? throw BadRequest("the request has no request line");
        var (method, target, minor) = ParseRequestLine(requestLine);
        var headers = new NameValueCollection(StringComparer.OrdinalIgnoreCase);
        for (var line = NextLine(buffer, ref position, end); !string.IsNullOrEmpty(line); line = NextLine(buffer, ref position, end))
        {
            var colon = line!.IndexOf(':');
            if (colon <= 0 || !IsToken(line, 0, colon))
            {
                throw BadRequest(line[0] is ' ' or '\t' ? "folded header lines (obs-fold) are not accepted" : "a header line is not 'name: value'");
            }

            var value = line.Substring(colon + 1).Trim(' ', '\t');
            if (value.Any(c => c < 0x20 && c != '\t' || c == 0x7F))
            {
                throw BadRequest("a header value holds a control character");
            }

            headers.Add(line.Substring(0, colon), value);
        }

        var head = new RequestHead(method, target, minor, headers);
        head.ReadFraming();
        return head;
    }

    private static (string Method, string Target, int Minor) ParseRequestLine(string line)
    {
        var first = line.IndexOf(' ');
        var second = first < 0 ? -1 : line.IndexOf(' ', first + 1);
        if (first <= 0 || second < 0 || second == first + 1 || line.IndexOf(' ', second + 1) >= 0 || !IsToken(line, 0, first))
        {
            throw BadRequest("the request line is not 'method target version'");
        }

        var target = line.Substring(first + 1, second - first - 1);
        if (target.Any(c => c <= 0x20 || c >= 0x7F))
        {
            throw BadRequest("the request target holds a character that is not visible ASCII");
        }

        if (target[0] != '/')
        {
            // The absolute form (§3.2.2), which a server must accept; authority and asterisk forms are for proxies and OPTIONS.
            if (!Uri.TryCreate(target, UriKind.Absolute, out var absolute) || absolute.Scheme is not ("http" or "https"))
            {
                throw BadRequest("the request target is neither a path nor an absolute http URL");
            }

            target = absolute.PathAndQuery;
        }

        var version = line.Substring(second + 1);
        if (version.Length != 8 || !version.StartsWith("HTTP/", StringComparison.Ordinal) || !char.IsDigit(version[5]) || version[6] != '.' || !char.IsDigit(version[7]))
        {
            throw BadRequest("the request line does not end in an HTTP version");
        }

        if (version[5] != '1')
        {
            throw new HttpProtocolException(505, $"{version} is not supported; this server speaks HTTP/1.1");
        }

        return (line.Substring(0, first), target, version[7] == '0' ? 0 : 1);
    }

    private void ReadFraming()
    {
        var hosts = Headers.GetValues("Host");
        if (hosts is { Length: > 1 } || (MinorVersion == 1 && hosts is null))
        {
            throw BadRequest("an HTTP/1.1 request needs exactly one Host header");
        }

        if (hosts is not null)
        {
            HostName = ParseHost(hosts[0]) ?? throw BadRequest("the Host header is not a valid host[:port]");
        }

        var connection = Headers["Connection"] ?? string.Empty;
        KeepAlive = MinorVersion == 1
            ? !HasToken(connection, "close")
            : HasToken(connection, "keep-alive");
        ExpectsContinue = MinorVersion == 1 && HasToken(Headers["Expect"] ?? string.Empty, "100-continue");

        var encoding = Headers["Transfer-Encoding"];
        var lengths = Headers.GetValues("Content-Length");
        if (encoding is not null)
        {
            if (lengths is not null || MinorVersion == 0)
            {
                throw BadRequest("Transfer-Encoding with Content-Length, or in HTTP/1.0, is not accepted (RFC 9112 §6.1)");
            }

            if (!string.Equals(encoding.Trim(), "chunked", StringComparison.OrdinalIgnoreCase))
            {
                throw new HttpProtocolException(501, $"the transfer coding '{encoding}' is not supported; use chunked");
            }

            ContentLength = -1;
            return;
        }

        if (lengths is null)
        {
            ContentLength = 0;
            return;
        }

        var values = lengths.SelectMany(v => v.Split(',')).Select(v => v.Trim()).Distinct(StringComparer.Ordinal).ToArray();
        if (values.Length != 1 || values[0].Length is 0 or > 18 || !values[0].All(c => c is >= '0' and <= '9'))
        {
            throw BadRequest("the Content-Length header is not one length in decimal digits");
        }

        ContentLength = long.Parse(values[0], NumberStyles.None, CultureInfo.InvariantCulture);
    }

    // host = IP-literal / IPv4address / reg-name, then [ ":" port ] (RFC 3986 §3.2.2); the name, lower case, or null.
    private static string? ParseHost(string value)
    {
        string host;
        string port;
        if (value.StartsWith("[", StringComparison.Ordinal))
        {
            var close = value.IndexOf(']');
            if (close < 0)
            {
                return null;
            }

            host = value.Substring(0, close + 1);
            port = value.Substring(close + 1);
        }
        else
        {
            var colon = value.IndexOf(':');
            host = colon < 0 ? value : value.Substring(0, colon);
            port = colon < 0 ? string.Empty : value.Substring(colon);
            if (host.Length == 0 || host.Any(c => !(char.IsLetterOrDigit(c) && c < 0x80) && c is not ('-' or '.' or '_' or '~' or '%')))
            {
                return null;
            }
        }

        if (port.Length > 0 && (port[0] != ':' || port.Length > 6 || !port.Skip(1).All(c => c is >= '0' and <= '9')))
        {
            return null;
        }

        return host.ToLowerInvariant();
    }

    private static bool HasToken(string list, string token) =>
        list.Split(',').Any(t => string.Equals(t.Trim(), token, StringComparison.OrdinalIgnoreCase));

    // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    private static bool IsToken(string text, int start, int length)
    {
        for (var i = start; i < start + length; i++)
        {
            var c = text[i];
            if (!((c is >= 'a' and <= 'z') || (c is >= 'A' and <= 'Z') || (c is >= '0' and <= '9') || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0))
            {
                return false;
            }
        }

        return length > 0;
    }

    // The next line as Latin-1 text without its CRLF or LF; null at the end of the buffer.
    private static string? NextLine(byte[] buffer, ref int position, int end)
    {
        if (position >= end)
        {
            return null;
        }

        var newline = Array.IndexOf(buffer, (byte)'\n', position, end - position);
        var stop = newline < 0 ? end : newline;
        var length = stop - position;
        if (length > 0 && buffer[stop - 1] == '\r')
        {
            length--;
        }

        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)buffer[position + i];
            if (chars[i] == '\r')
            {
                throw BadRequest("a bare CR in the request head");
            }
        }

        position = newline < 0 ? end : newline + 1;
        return new string(chars);
    }

    private static HttpProtocolException BadRequest(string message) => new(400, message);
}
