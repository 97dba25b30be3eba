using System;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace OciRegistry.TestRegistry;

/// <summary>
/// Signs the CDN URLs a redirect hands out, the way object stores pre-sign download URLs: the request target
/// gains <c>expires=&lt;unix seconds&gt;&amp;sig=&lt;HMAC-SHA256&gt;</c>, and the CDN origin serves only targets
/// whose signature matches and has not expired. The query value is a secret a client must never print.
/// </summary>
/// <remarks>
/// The signature covers the method, the path, the rest of the query and an expiry that only the registry chooses
/// (as S3's presigned URLs cover the verb and the expiry): a URL handed out for one GET serves that GET, not a HEAD,
/// a DELETE or another path, and not past <see cref="Lifetime"/>. Parameters named <c>expires</c> or <c>sig</c> that
/// the client sent are dropped before signing, so the registry never signs an expiry the client picked.
/// </remarks>
internal sealed class UrlSigner
{
    /// <summary>How long a signed URL stays valid.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private const string ExpiresParameter = "expires=";
    private const string SignatureParameter = "sig=";

    private readonly byte[] _key = new byte[32];
    private readonly TimeProvider _time;

    public UrlSigner(TimeProvider time)
    {
        _time = time;
        using var random = RandomNumberGenerator.Create();
        random.GetBytes(_key);
    }

    /// <summary>Signs <paramref name="method"/> on a raw request target (path and optional query), returning the target to redirect to.</summary>
    public string Sign(string method, string target)
    {
        var (path, pairs) = Split(target);
        var kept = pairs.Where(p => !IsReserved(p)).ToList();
        var expires = (_time.GetUtcNow() + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        kept.Add(ExpiresParameter + expires);
        var unsigned = path + "?" + string.Join("&", kept);
        return unsigned + "&" + SignatureParameter + Signature(method, unsigned);
    }

    /// <summary>Whether <paramref name="target"/> carries a valid signature for <paramref name="method"/> that has not expired.</summary>
    public bool Verify(string method, string? target)
    {
        if (target is null)
        {
            return false;
        }

        var (path, pairs) = Split(target);

        // Exactly one expires, right before the signature, and the signature last: nothing can be added around them.
        if (pairs.Length < 2 || !pairs[pairs.Length - 1].StartsWith(SignatureParameter, StringComparison.Ordinal) ||
            !pairs[pairs.Length - 2].StartsWith(ExpiresParameter, StringComparison.Ordinal) ||
            pairs.Take(pairs.Length - 2).Any(IsReserved))
        {
            return false;
        }

        var unsigned = path + "?" + string.Join("&", pairs.Take(pairs.Length - 1));
        if (!FixedTimeEquals(Signature(method, unsigned), pairs[pairs.Length - 1].Substring(SignatureParameter.Length)))
        {
            return false;
        }

        var expires = pairs[pairs.Length - 2].Substring(ExpiresParameter.Length);
        return long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) &&
            seconds <= (_time.GetUtcNow() + Lifetime).ToUnixTimeSeconds() &&
            DateTimeOffset.FromUnixTimeSeconds(seconds) > _time.GetUtcNow();
    }

    private static (string Path, string[] Pairs) Split(string target)
    {
        var fragment = target.IndexOf('#');
        if (fragment >= 0)
        {
            target = target.Substring(0, fragment);
        }

        var query = target.IndexOf('?');
        return query < 0
            ? (target, [])
            : (target.Substring(0, query), target.Substring(query + 1).Split(['&'], StringSplitOptions.RemoveEmptyEntries));
    }

    private static bool IsReserved(string pair) =>
        pair.StartsWith(ExpiresParameter, StringComparison.Ordinal) || pair.StartsWith(SignatureParameter, StringComparison.Ordinal) ||
        pair is "expires" or "sig";

    private string Signature(string method, string unsigned)
    {
        using var hmac = new HMACSHA256(_key);
        var hash = hmac.ComputeHash(Encoding.UTF8.GetBytes(method + "\n" + unsigned));
        var hex = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
        {
            hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }

    private static bool FixedTimeEquals(string a, string b)
    {
        var difference = a.Length ^ b.Length;
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            difference |= a[i] ^ b[i];
        }

        return difference == 0;
    }
}
