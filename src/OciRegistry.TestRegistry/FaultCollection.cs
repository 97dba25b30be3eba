using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace OciRegistry.TestRegistry;

/// <summary>
/// The faults a test registry injects, changeable while it serves. Thread-safe: requests read a snapshot, and
/// each rule counts the requests it changed atomically. Adding a rule again starts its count afresh.
/// </summary>
public sealed class FaultCollection : IReadOnlyCollection<FaultRule>
{
    private readonly object _gate = new();
    private ActiveFault[] _active = [];

    /// <summary>How many rules are in force.</summary>
    public int Count => Volatile.Read(ref _active).Length;

    /// <summary>How many paths the rules in force keep a count for, together.</summary>
    internal int TrackedPaths => Volatile.Read(ref _active).Sum(a => a.TrackedPaths);

    /// <summary>Adds <paramref name="rule"/> after the others; it acts from the next request on.</summary>
    /// <exception cref="ArgumentException">The rule cannot work (see <see cref="FaultRule.Validate"/>).</exception>
    public void Add(FaultRule rule) => AddRange([rule ?? throw new ArgumentNullException(nameof(rule))]);

    /// <summary>Adds several rules at once, or none when one of them is invalid.</summary>
    /// <exception cref="ArgumentException">A rule cannot work (see <see cref="FaultRule.Validate"/>).</exception>
    public void AddRange(IEnumerable<FaultRule> rules)
    {
        var added = (rules ?? throw new ArgumentNullException(nameof(rules))).Select(rule =>
        {
            (rule ?? throw new ArgumentException("a fault rule is null", nameof(rules))).Validate();
            return new ActiveFault(rule);
        }).ToList();
        lock (_gate)
        {
            _active = [.. _active, .. added];
        }
    }

    /// <summary>Removes the first rule equal to <paramref name="rule"/>; false when there is none.</summary>
    public bool Remove(FaultRule rule)
    {
        lock (_gate)
        {
            var list = _active.ToList();
            var index = list.FindIndex(a => a.Rule.Equals(rule));
            if (index < 0)
            {
                return false;
            }

            list.RemoveAt(index);
            _active = [.. list];
            return true;
        }
    }

    /// <summary>Removes every rule: the registry serves faithfully again.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _active = [];
        }
    }

    /// <summary>The rules in force, in the order they were added (a snapshot).</summary>
    public IEnumerator<FaultRule> GetEnumerator() => Volatile.Read(ref _active).Select(a => a.Rule).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Fires the first rule of <paramref name="kind"/> that matches the request, that <paramref name="applies"/> to
    /// it and that has requests left, and records it in the request's log entry; null when none does.
    /// </summary>
    internal FaultRule? TryFire(FaultKind kind, RequestLogEntry request, Func<FaultRule, bool>? applies = null)
    {
        foreach (var fault in Volatile.Read(ref _active))
        {
            if (fault.Rule.Kind == kind &&
                fault.Matches(request.Method, request.RequestPath, request.Origin) &&
                (applies is null || applies(fault.Rule)) &&
                fault.TryTake(request.RequestPath))
            {
                request.AddFault(kind);
                return fault.Rule;
            }
        }

        return null;
    }
}
