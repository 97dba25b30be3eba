using System;

namespace OciRegistry.Core.Client;

/// <summary>Which proxy a network failure happened behind, kept in <see cref="Exception.Data"/>.</summary>
public static class ProxyFailure
{
    private const string DataKey = "OciRegistry.Proxy";

    /// <summary>The proxy <paramref name="exception"/> or one of its inner exceptions was marked with, if any.</summary>
    public static string? ProxyOf(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e.Data[DataKey] is string proxy)
            {
                return proxy;
            }
        }

        return null;
    }

    internal static void Mark(Exception exception, string proxy) => exception.Data[DataKey] = proxy;
}
