namespace OciRegistry.TestRegistry;

/// <summary>What a <see cref="FaultRule"/> does to the requests it matches.</summary>
public enum FaultKind
{
    /// <summary>Answers with <see cref="FaultRule.StatusCode"/> (and <c>Retry-After</c> when set) instead of serving.</summary>
    Fail,

    /// <summary>Waits <see cref="FaultRule.Delay"/> before answering.</summary>
    Delay,

    /// <summary>Sends the headers (and the body up to <see cref="FaultRule.Offset"/>), then nothing until the client or the server gives up.</summary>
    Stall,

    /// <summary>Sends the body at <see cref="FaultRule.BytesPerSecond"/>.</summary>
    Trickle,

    /// <summary>Drops the connection after the body reached <see cref="FaultRule.Offset"/> (by default half the content).</summary>
    CutBody,

    /// <summary>Flips the byte at <see cref="FaultRule.Offset"/> (by default the middle one) of the body.</summary>
    CorruptByte,

    /// <summary>Answers a ranged blob request with 200 and the whole blob.</summary>
    IgnoreRange,

    /// <summary>Redirects a GET or HEAD of a manifest, blob or tag list to the CDN origin with a signed URL.</summary>
    Redirect,

    /// <summary>
    /// Reads the body of a blob upload's PATCH or PUT up to <see cref="FaultRule.Offset"/> (counted from the start of
    /// the upload; by default half the chunk), keeps those bytes in the upload, as a registry that stores what it
    /// received does, and drops the connection without an answer: a reset mid-chunk.
    /// </summary>
    CutUpload,
}
