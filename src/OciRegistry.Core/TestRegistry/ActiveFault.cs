using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace OciRegistry.Core.TestRegistry;

/// <summary>A <see cref="FaultRule"/> in force: its compiled path matcher and how many requests it has changed.</summary>
internal sealed class ActiveFault
{
    private readonly Regex? _path;
    private readonly Dictionary<string, int>? _firedPerPath;
    private readonly object _gate = new();
    private int _fired;

    public ActiveFault(FaultRule rule)
    {
        Rule = rule;
        _path = rule.CreatePathMatcher();
        _firedPerPath = rule.CountEachPath ? new Dictionary<string, int>(StringComparer.Ordinal) : null;
    }

    public FaultRule Rule { get; }

    /// <summary>Whether the rule is about this request at all, counts aside.</summary>
    public bool Matches(string method, string path, TestRegistryOrigin origin) =>
        (Rule.Origin is null || Rule.Origin == origin) &&
        (Rule.Method is null || string.Equals(Rule.Method, method, StringComparison.OrdinalIgnoreCase)) &&
        (_path is null || _path.IsMatch(path));

    /// <summary>Takes one of the rule's requests for <paramref name="path"/>; false once they are used up.</summary>
    public bool TryTake(string path)
    {
        if (Rule.Count is not { } limit)
        {
            return true;
        }

        lock (_gate)
        {
            var fired = _fired;
            if (_firedPerPath is not null)
            {
                _firedPerPath.TryGetValue(path, out fired);
            }

            if (fired >= limit)
            {
                return false;
            }

            if (_firedPerPath is null)
            {
                _fired = fired + 1;
            }
            else
            {
                _firedPerPath[path] = fired + 1;
            }

            return true;
        }
    }
}
