using System;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Push;

/// <summary>
/// The referrers tag schema (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema):
/// on a registry without the referrers API, the index of a manifest's referrers is tagged <c>&lt;alg&gt;-&lt;hex&gt;</c>.
/// </summary>
public static class ReferrersTag
{
    /// <summary>
    /// The tag for <paramref name="subject"/>, e.g. <c>sha256-0123…</c>: the algorithm cut to 32 and the encoded
    /// part to 64 characters, as the spec asks. The same tag the referrers listing reads.
    /// </summary>
    public static string For(Digest subject)
    {
        if (subject is null)
        {
            throw new ArgumentNullException(nameof(subject));
        }

        return ReferrersReader.TagFor(subject);
    }
}
