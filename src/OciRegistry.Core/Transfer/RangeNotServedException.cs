using OciRegistry.Core.References;

namespace OciRegistry.Core.Transfer;

/// <summary>
/// The registry answered a request for part of a blob with the whole blob (200, not 206): it does not serve
/// ranges, so parallel ranges fall back to one connection. Never reaches the user.
/// </summary>
internal sealed class RangeNotServedException : OciException
{
    public RangeNotServedException(Digest digest)
        : base($"the registry answered a ranged request for {digest} with the whole blob")
    {
    }
}
