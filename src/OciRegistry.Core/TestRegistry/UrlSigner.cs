using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OciRegistry.Core.TestRegistry;

/// <summary>
/// Signs the CDN URLs a redirect hands out, the way object stores pre-sign download URLs: the request target
/// gains <c>expires=&lt;unix seconds&gt;&amp;sig=&lt;HMAC-SHA256&gt;</c>, and the CDN origin serves only targets
/// whose signature matches and has not expired. The query value is a secret a client must never print.
/// </summary>
internal sealed class UrlSigner
{
    /// <summary>How long a signed URL stays valid.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private const string SignatureParameter = "&sig=";

    private readonly byte[] _key = new byte[32];
    private readonly TimeProvider _time;

    public UrlSigner(TimeProvider time)
    {
        _time = time;
        using var random = RandomNumberGenerator.Create();
        random.GetBytes(_key);
    }

    /// <summary>Signs a raw request target (path and optional query), returning the target to redirect to.</summary>
    public string Sign(string target)
    {
        var expires = (_time.GetUtcNow() + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var unsigned = target + (target.IndexOf('?') < 0 ? "?" : "&") + "expires=" + expires;
        return unsigned + SignatureParameter + Signature(unsigned);
    }

    /// <summary>Whether <paramref name="target"/> carries a valid signature that has not expired.</summary>
    public bool Verify(string? target)
    {
        var at = target?.LastIndexOf(SignatureParameter, StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return false;
        }

        var unsigned = target!.Substring(0, at);
        if (!FixedTimeEquals(Signature(unsigned), target.Substring(at + SignatureParameter.Length)))
        {
            return false;
        }

        var expires = QueryString.FromTarget(unsigned).First("expires");
        return long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) &&
            DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, DateTimeOffset.MaxValue.ToUnixTimeSeconds())) > _time.GetUtcNow();
    }

    private string Signature(string unsigned)
    {
        using var hmac = new HMACSHA256(_key);
        var hash = hmac.ComputeHash(Encoding.UTF8.GetBytes(unsigned));
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
