using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.TestRegistry.Http;

/// <summary>
/// The response to one request: status, headers, and a body framed by <see cref="ContentLength64"/> (or chunked when
/// no length was set). The head goes out with the first body write or at <see cref="CompleteAsync"/>, in one write
/// with the body when that is small. A HEAD response carries the length GET would have and no body
/// (https://www.rfc-editor.org/rfc/rfc9110#section-9.3.2).
/// </summary>
internal sealed class HttpServerResponse
{
    private const int CoalesceLimit = 16 * 1024;
    private static readonly Dictionary<int, string> Reasons = new()
    {
        [100] = "Continue", [200] = "OK", [201] = "Created", [202] = "Accepted", [204] = "No Content", [206] = "Partial Content",
        [301] = "Moved Permanently", [302] = "Found", [303] = "See Other", [304] = "Not Modified", [307] = "Temporary Redirect", [308] = "Permanent Redirect",
        [400] = "Bad Request", [401] = "Unauthorized", [403] = "Forbidden", [404] = "Not Found", [405] = "Method Not Allowed", [408] = "Request Timeout",
        [409] = "Conflict", [411] = "Length Required", [413] = "Content Too Large", [414] = "URI Too Long", [416] = "Range Not Satisfiable",
        [429] = "Too Many Requests", [431] = "Request Header Fields Too Large", [500] = "Internal Server Error", [501] = "Not Implemented",
        [502] = "Bad Gateway", [503] = "Service Unavailable", [504] = "Gateway Timeout", [505] = "HTTP Version Not Supported",
    };

    private readonly Stream _network;
    private readonly Watchdog _watchdog;
    private readonly TimeSpan _writeTimeout;
    private readonly bool _isHead;
    private readonly Func<bool> _keepAlive;
    private readonly Action _abort;
    private long _written;
    private bool _chunked;

    public HttpServerResponse(Stream network, Watchdog watchdog, TimeSpan writeTimeout, bool isHead, Func<bool> keepAlive, Action abort)
    {
        _network = network;
        _watchdog = watchdog;
        _writeTimeout = writeTimeout;
        _isHead = isHead;
        _keepAlive = keepAlive;
        _abort = abort;
        OutputStream = new ResponseBodyWriter(this);
    }

    public int StatusCode { get; set; } = 200;

    /// <summary>Headers other than the framing ones (Content-Length, Transfer-Encoding, Connection), which the response sets itself.</summary>
    public NameValueCollection Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? ContentType { get; set; }

    /// <summary>The body length; -1 (the default) sends a chunked body.</summary>
    public long ContentLength64 { get; set; } = -1;

    public Stream OutputStream { get; }

    /// <summary>Whether the head is on the wire.</summary>
    public bool HeadersSent { get; private set; }

    /// <summary>Whether the connection stays open after this response (decided when the head goes out).</summary>
    public bool KeepAlive { get; private set; }

    public bool IsComplete { get; private set; }

    public bool IsAborted { get; private set; }

    /// <summary>Ends the response: sends the head if it is not out yet, and the last chunk of a chunked body.</summary>
    /// <exception cref="IOException">The body is shorter than its Content-Length; the connection must be dropped.</exception>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (IsComplete || IsAborted)
        {
            return;
        }

        if (!HeadersSent)
        {
            await WriteAsync(null, 0, 0, cancellationToken).ConfigureAwait(false);
        }

        IsComplete = true;
        if (_isHead || !HasBody(StatusCode))
        {
            return;
        }

        if (_chunked)
        {
            await SendAsync(Encoding.ASCII.GetBytes("0\r\n\r\n"), cancellationToken).ConfigureAwait(false);
        }
        else if (_written != ContentLength64)
        {
            throw new IOException($"the response ended after {_written} of its {ContentLength64} bytes");
        }
    }

    /// <summary>Drops the connection: the only honest answer once part of a response is out.</summary>
    public void Abort()
    {
        IsAborted = true;
        _abort();
    }

    internal async Task WriteAsync(byte[]? buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (IsComplete || IsAborted)
        {
            throw new InvalidOperationException("the response has ended");
        }

        if (count > 0 && (_isHead || !HasBody(StatusCode)))
        {
            throw new InvalidOperationException($"a {(_isHead ? "HEAD" : StatusCode.ToString(CultureInfo.InvariantCulture))} response has no body");
        }

        if (!_chunked && ContentLength64 >= 0 && _written + count > ContentLength64)
        {
            throw new InvalidOperationException($"the body is longer than its Content-Length of {ContentLength64}");
        }

        if (!HeadersSent)
        {
            HeadersSent = true;
            KeepAlive = _keepAlive();
            if (ContentLength64 < 0 && buffer is null)
            {
                // Completed before any write: an empty body, said with Content-Length: 0 rather than chunks of nothing.
                ContentLength64 = 0;
            }

            _chunked = ContentLength64 < 0 && !_isHead && HasBody(StatusCode);
            var head = Head();
            if (count <= CoalesceLimit && !_chunked)
            {
                var both = new byte[head.Length + count];
                Buffer.BlockCopy(head, 0, both, 0, head.Length);
                if (count > 0)
                {
                    Buffer.BlockCopy(buffer!, offset, both, head.Length, count);
                }

                await SendAsync(both, cancellationToken).ConfigureAwait(false);
                _written += count;
                return;
            }

            await SendAsync(head, cancellationToken).ConfigureAwait(false);
        }

        if (count == 0)
        {
            return;
        }

        if (_chunked)
        {
            await SendAsync(Encoding.ASCII.GetBytes(count.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), cancellationToken).ConfigureAwait(false);
        }

        _watchdog.Arm(_writeTimeout);
        try
        {
            await _network.WriteAsync(buffer!, offset, count, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _watchdog.Disarm();
        }

        _written += count;
        if (_chunked)
        {
            await SendAsync(Encoding.ASCII.GetBytes("\r\n"), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The head of a response the connection layer sends on its own (100 Continue, 4xx for a bad request).</summary>
    internal static byte[] StatusOnly(int status, string? text, bool close)
    {
        var body = text is null ? [] : Encoding.UTF8.GetBytes(text + "\n");
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Reason(status)).Append("\r\n");
        if (status >= 200)
        {
            head.Append("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        if (close)
        {
            head.Append("Connection: close\r\n");
        }

        var headBytes = Encoding.ASCII.GetBytes(head.Append("\r\n").ToString());
        var all = new byte[headBytes.Length + body.Length];
        Buffer.BlockCopy(headBytes, 0, all, 0, headBytes.Length);
        Buffer.BlockCopy(body, 0, all, headBytes.Length, body.Length);
        return all;
    }

    // 1xx, 204 and 304 never have a body (RFC 9110 §6.4.1).
    private static bool HasBody(int status) => status >= 200 && status != 204 && status != 304;

    private static string Reason(int status) => Reasons.TryGetValue(status, out var reason) ? reason : "Status";

    private byte[] Head()
    {
        var head = new StringBuilder(256);
        head.Append("HTTP/1.1 ").Append(StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Reason(StatusCode)).Append("\r\n");
        head.Append("Date: ").Append(DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n");
        if (ContentType is not null)
        {
            Append(head, "Content-Type", ContentType);
        }

        if (HasBody(StatusCode))
        {
            if (_chunked)
            {
                head.Append("Transfer-Encoding: chunked\r\n");
            }
            else if (ContentLength64 >= 0)
            {
                head.Append("Content-Length: ").Append(ContentLength64.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            }
        }

        foreach (var name in Headers.AllKeys)
        {
            if (name is null || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) ||
                name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in Headers.GetValues(name) ?? [])
            {
                Append(head, name, value);
            }
        }

        if (!KeepAlive)
        {
            head.Append("Connection: close\r\n");
        }

        var text = head.Append("\r\n").ToString();
        var bytes = new byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            bytes[i] = text[i] <= 0xFF ? (byte)text[i] : (byte)'?';
        }

        return bytes;
    }

    // A value with a line break would split the response (CWE-113): refuse it rather than send it.
    private static void Append(StringBuilder head, string name, string value)
    {
        if (value.IndexOf('\r') >= 0 || value.IndexOf('\n') >= 0 || name.IndexOf(':') >= 0)
        {
            throw new InvalidOperationException($"the response header {name} holds a line break");
        }

        head.Append(name).Append(": ").Append(value).Append("\r\n");
    }

    private async Task SendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        _watchdog.Arm(_writeTimeout);
        try
        {
            await _network.WriteAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _watchdog.Disarm();
        }
    }
}
