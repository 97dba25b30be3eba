namespace OciRegistry.TestRegistry;

/// <summary>
/// The body faults that fired on one response, at absolute positions in the content (a blob or manifest), so
/// that a ranged response knows whether the position falls inside the part it sends.
/// </summary>
internal sealed class BodyFaultPlan
{
    private BodyFaultPlan(long? stallAt, long? cutAt, long? corruptAt, long? bytesPerSecond)
    {
        StallAt = stallAt;
        CutAt = cutAt;
        CorruptAt = corruptAt;
        BytesPerSecond = bytesPerSecond;
    }

    /// <summary>Send nothing from this byte on.</summary>
    public long? StallAt { get; }

    /// <summary>Drop the connection before this byte.</summary>
    public long? CutAt { get; }

    /// <summary>Flip this byte.</summary>
    public long? CorruptAt { get; }

    /// <summary>Send at this rate.</summary>
    public long? BytesPerSecond { get; }

    /// <summary>
    /// Fires the body faults that apply to a response carrying bytes [<paramref name="start"/>,
    /// <paramref name="start"/> + <paramref name="length"/>) of content <paramref name="total"/> bytes long;
    /// null when none does. A stall makes the others moot, and a flip past the cut would never be seen.
    /// </summary>
    public static BodyFaultPlan? Select(FaultCollection faults, RequestLogEntry request, long start, long length, long total)
    {
        bool Within(long at) => at >= start && at < start + length;

        var stall = faults.TryFire(FaultKind.Stall, request, rule => Within(rule.Offset ?? start));
        if (stall is not null)
        {
            return new BodyFaultPlan(stall.Offset ?? start, null, null, null);
        }

        // A cut never falls on the first byte of a ranged response: that is a client resuming right at the cut,
        // which would otherwise be cut again and again.
        var middle = total / 2;
        var cut = faults.TryFire(FaultKind.CutBody, request, rule => Within(rule.Offset ?? middle) && (start == 0 || (rule.Offset ?? middle) > start));
        var cutAt = cut is null ? (long?)null : cut.Offset ?? middle;
        var corrupt = faults.TryFire(FaultKind.CorruptByte, request, rule => Within(rule.Offset ?? middle) && !((rule.Offset ?? middle) >= cutAt));
        var trickle = faults.TryFire(FaultKind.Trickle, request);
        return cut is null && corrupt is null && trickle is null
            ? null
            : new BodyFaultPlan(null, cutAt, corrupt is null ? null : corrupt.Offset ?? middle, trickle?.BytesPerSecond);
    }
}
