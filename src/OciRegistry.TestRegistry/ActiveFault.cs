using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace OciRegistry.TestRegistry;

/// <summary>A <see cref="FaultRule"/> in force: its compiled path matcher and how many requests it has changed.</summary>
/// <remarks>
/// A rule that counts each path remembers the <see cref="MaxTrackedPaths"/> paths seen most recently, least recently
/// seen first out, so a client walking endless distinct paths cannot grow the server: a path forgotten that way is
/// counted afresh when it comes back. Paths are remembered by a 128-bit hash, so a long path costs no more than a
/// short one.
/// </remarks>
internal sealed class ActiveFault
{
    /// <summary>How many paths a rule that counts each path remembers.</summary>
    internal const int MaxTrackedPaths = 4096;

    private readonly Regex? _path;
    private readonly Dictionary<PathKey, LinkedListNode<PathCount>>? _firedPerPath;
    private readonly LinkedList<PathCount> _recent = new(); // most recently seen last
    private readonly object _gate = new();
    private int _fired;
    private int _skipped;

    public ActiveFault(FaultRule rule)
    {
        Rule = rule;
        _path = rule.CreatePathMatcher();
        _firedPerPath = rule.CountEachPath ? new Dictionary<PathKey, LinkedListNode<PathCount>>() : null;
    }

    public FaultRule Rule { get; }

    /// <summary>How many paths the rule keeps a count for.</summary>
    internal int TrackedPaths
    {
        get
        {
            lock (_gate)
            {
                return _firedPerPath?.Count ?? 0;
            }
        }
    }

    /// <summary>Whether the rule is about this request at all, counts aside.</summary>
    public bool Matches(string method, string path, TestRegistryOrigin origin) =>
        (Rule.Origin is null || Rule.Origin == origin) &&
        (Rule.Method is null || string.Equals(Rule.Method, method, StringComparison.OrdinalIgnoreCase)) &&
        (_path is null || _path.IsMatch(path));

    /// <summary>Takes one of the rule's requests for <paramref name="path"/>; false while it skips requests and once they are used up.</summary>
    public bool TryTake(string path)
    {
        if (Rule.Skip > 0)
        {
            lock (_gate)
            {
                if (_skipped < Rule.Skip)
                {
                    _skipped++;
                    return false;
                }
            }
        }

        if (Rule.Count is not { } limit)
        {
            return true;
        }

        if (_firedPerPath is null)
        {
            lock (_gate)
            {
                if (_fired >= limit)
                {
                    return false;
                }

                _fired++;
                return true;
            }
        }

        var key = PathKey.Of(path);
        lock (_gate)
        {
            if (_firedPerPath.TryGetValue(key, out var node))
            {
                // Seen again: it moves to the recent end, whether or not the rule still fires for it.
                _recent.Remove(node);
                _recent.AddLast(node);
            }
            else
            {
                if (_firedPerPath.Count >= MaxTrackedPaths)
                {
                    var oldest = _recent.First!;
                    _recent.RemoveFirst();
                    _firedPerPath.Remove(oldest.Value.Key);
                }

                node = _recent.AddLast(new PathCount(key));
                _firedPerPath[key] = node;
            }

            if (node.Value.Fired >= limit)
            {
                return false;
            }

            node.Value.Fired++;
            return true;
        }
    }

    private sealed class PathCount(PathKey key)
    {
        public PathKey Key { get; } = key;

        public int Fired { get; set; }
    }

    // The first 128 bits of the path's SHA-256: fixed-size, and collisions are out of reach of any test.
    private readonly struct PathKey(ulong high, ulong low) : IEquatable<PathKey>
    {
        private readonly ulong _high = high;
        private readonly ulong _low = low;

        public static PathKey Of(string path)
        {
            using var sha256 = SHA256.Create();
            var hash = sha256.ComputeHash(Encoding.UTF8.GetBytes(path));
            return new PathKey(BitConverter.ToUInt64(hash, 0), BitConverter.ToUInt64(hash, 8));
        }

        public bool Equals(PathKey other) => _high == other._high && _low == other._low;

        public override bool Equals(object? obj) => obj is PathKey other && Equals(other);

        public override int GetHashCode() => _low.GetHashCode();
    }
}
