using System.Net.Http;

namespace OciRegistry.Core.Client;

/// <summary>
/// Whether a request can be sent again as it is. A handler that re-sends (a retry, an answer to a 401 challenge)
/// must not send a request whose body was a stream: the first attempt consumed it, and the second would send
/// nothing or the wrong bytes. Bodies held in memory (<see cref="ByteArrayContent"/>, and so string and form
/// content) serialize anew each time; uploads therefore send chunks from memory.
/// </summary>
internal static class ReplayableContent
{
    /// <summary>Whether <paramref name="content"/> (null: no body) can be serialized again.</summary>
    public static bool Allows(HttpContent? content) => content is null or ByteArrayContent;
}
