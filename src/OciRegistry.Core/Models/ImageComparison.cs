using System;
using System.Collections.Generic;
using System.Linq;

namespace OciRegistry.Core.Models;

/// <summary>
/// Compares two images as Compare-Object compares lists: layers by digest (removed, added, kept), the fields of
/// their configs one by one (each environment variable and each label on its own), and their total size; and two
/// indexes platform by platform.
/// </summary>
public static class ImageComparison
{
    /// <summary>The differences between two images, layers first (by place), then config fields, then the size.</summary>
    /// <param name="reference">The first image's manifest and config.</param>
    /// <param name="difference">The second image's manifest and config.</param>
    /// <param name="includeEqual">Whether to list what is the same on both sides too.</param>
    public static IReadOnlyList<ImageDifference> Compare(
        (ImageManifest Manifest, ImageConfigDocument Config) reference,
        (ImageManifest Manifest, ImageConfigDocument Config) difference,
        bool includeEqual = false)
    {
        if (reference.Manifest is null || reference.Config is null || difference.Manifest is null || difference.Config is null)
        {
            throw new ArgumentException("Both images need a manifest and a config.");
        }

        var result = new List<ImageDifference>();
        result.AddRange(Layers(reference.Manifest.Layers, difference.Manifest.Layers).Where(d => includeEqual || d.Side != DifferenceSide.Equal));
        result.AddRange(Fields(reference.Config, difference.Config).Where(d => includeEqual || d.Side != DifferenceSide.Equal));
        long Total(ImageManifest m) => m.Config.Size + m.Layers.Sum(l => l.Size);
        var (before, after) = (Total(reference.Manifest), Total(difference.Manifest));
        if (includeEqual || before != after)
        {
            result.Add(new ImageDifference(ImageDifferenceKind.Size, "TotalSize", before == after ? DifferenceSide.Equal : DifferenceSide.Changed, before, after));
        }

        return result;
    }

    /// <summary>
    /// Pairs the images of two indexes by platform (<c>os/architecture[/variant]</c>, plus <c>os.version</c> when
    /// an entry has one), in the reference index's order, then the difference index's new ones. Attestations are
    /// not platforms and are left out; an entry whose platform repeats in its index is left out after the first.
    /// </summary>
    public static IReadOnlyList<(string Platform, Descriptor? Reference, Descriptor? Difference)> PairPlatforms(ImageIndex reference, ImageIndex difference)
    {
        if (reference is null || difference is null)
        {
            throw new ArgumentNullException(reference is null ? nameof(reference) : nameof(difference));
        }

        var pairs = new List<(string, Descriptor?, Descriptor?)>();
        var theirs = ByPlatform(difference);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, entry) in ByPlatform(reference))
        {
            seen.Add(key);
            pairs.Add((key, entry, theirs.FirstOrDefault(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase)).Entry));
        }

        pairs.AddRange(theirs.Where(t => !seen.Contains(t.Key)).Select(t => (t.Key, (Descriptor?)null, (Descriptor?)t.Entry)));
        return pairs;
    }

    /// <summary>A platform that one index has and the other lacks; each value is that side's manifest digest.</summary>
    public static ImageDifference OneSidedPlatform(string platform, Descriptor? reference, Descriptor? difference) =>
        (reference, difference) switch
        {
            ({ } r, null) => new ImageDifference(ImageDifferenceKind.Platform, platform, DifferenceSide.ReferenceOnly, r.Digest.ToString(), null),
            (null, { } d) => new ImageDifference(ImageDifferenceKind.Platform, platform, DifferenceSide.DifferenceOnly, null, d.Digest.ToString()),
            _ => throw new ArgumentException("Exactly one side has the platform."),
        };

    /// <summary>The key a platform pairs by: its <c>os/architecture[/variant]</c>, and its <c>os.version</c> when it has one.</summary>
    public static string PlatformKey(Platform platform) =>
        platform is null ? throw new ArgumentNullException(nameof(platform))
        : platform.OsVersion is { Length: > 0 } version ? $"{platform} ({version})" : platform.ToString();

    private static List<(string Key, Descriptor Entry)> ByPlatform(ImageIndex index)
    {
        var entries = new List<(string, Descriptor)>();
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in PlatformManifests.Images(index))
        {
            if (entry.Platform is { } platform && keys.Add(PlatformKey(platform)))
            {
                entries.Add((PlatformKey(platform), entry));
            }
        }

        return entries;
    }

    // A layer kept is matched to the first unmatched occurrence of its digest on the other side, so that a layer
    // listed twice (an empty layer repeated) counts twice.
    private static IEnumerable<ImageDifference> Layers(IReadOnlyList<Descriptor> reference, IReadOnlyList<Descriptor> difference)
    {
        var unmatched = new Dictionary<string, Queue<int>>(StringComparer.Ordinal);
        for (var i = 0; i < difference.Count; i++)
        {
            var key = difference[i].Digest.ToString();
            if (!unmatched.TryGetValue(key, out var places))
            {
                unmatched[key] = places = new Queue<int>();
            }

            places.Enqueue(i);
        }

        var rows = new List<ImageDifference>();
        var matched = new HashSet<int>();
        for (var i = 0; i < reference.Count; i++)
        {
            var layer = reference[i];
            if (unmatched.TryGetValue(layer.Digest.ToString(), out var places) && places.Count > 0)
            {
                var there = places.Dequeue();
                matched.Add(there);
                rows.Add(new ImageDifference(ImageDifferenceKind.Layer, layer.Digest.ToString(), DifferenceSide.Equal, layer.Size, difference[there].Size)
                {
                    Position = i,
                    DifferencePosition = there,
                });
            }
            else
            {
                rows.Add(new ImageDifference(ImageDifferenceKind.Layer, layer.Digest.ToString(), DifferenceSide.ReferenceOnly, layer.Size, null) { Position = i });
            }
        }

        for (var i = 0; i < difference.Count; i++)
        {
            if (!matched.Contains(i))
            {
                var layer = difference[i];
                rows.Add(new ImageDifference(ImageDifferenceKind.Layer, layer.Digest.ToString(), DifferenceSide.DifferenceOnly, null, layer.Size)
                {
                    Position = i,
                    DifferencePosition = i,
                });
            }
        }

        // By place, a removed layer before the one added in its place: the order a reader walks the two lists in.
        return rows.OrderBy(r => r.Position).ThenBy(r => r.Side == DifferenceSide.DifferenceOnly ? 1 : 0).ToList();
    }

    private static IEnumerable<ImageDifference> Fields(ImageConfigDocument a, ImageConfigDocument b)
    {
        var fields = new (string Name, object? A, object? B)[]
        {
            ("Created", a.Created, b.Created),
            ("Author", a.Author, b.Author),
            ("Os", a.Os, b.Os),
            ("Architecture", a.Architecture, b.Architecture),
            ("Variant", a.Variant, b.Variant),
            ("OsVersion", a.OsVersion, b.OsVersion),
            ("User", a.User, b.User),
            ("WorkingDir", a.WorkingDir, b.WorkingDir),
            ("Entrypoint", List(a.Entrypoint), List(b.Entrypoint)),
            ("Cmd", List(a.Cmd), List(b.Cmd)),
        };
        foreach (var (name, x, y) in fields)
        {
            if (Field(name, x is not null, x, y is not null, y) is { } row)
            {
                yield return row;
            }
        }

        foreach (var row in Entries("Env:", a.Env, b.Env))
        {
            yield return row;
        }

        foreach (var row in Entries("Label:", a.Labels.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)).ToList(), b.Labels.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)).ToList()))
        {
            yield return row;
        }

        // Sets: the same ports or volumes in another order are the same.
        foreach (var (name, x, y) in new[] { ("ExposedPorts", a.ExposedPorts, b.ExposedPorts), ("Volumes", a.Volumes, b.Volumes) })
        {
            if (Field(name, x.Count > 0, Sorted(x), y.Count > 0, Sorted(y)) is { } row)
            {
                yield return row;
            }
        }

        if (Field("StopSignal", a.StopSignal is not null, a.StopSignal, b.StopSignal is not null, b.StopSignal) is { } stop)
        {
            yield return stop;
        }
    }

    private static IEnumerable<ImageDifference> Entries(string prefix, IReadOnlyList<KeyValuePair<string, string?>> a, IReadOnlyList<KeyValuePair<string, string?>> b)
    {
        var theirs = b.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var ours = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in a.Select(p => (p.Key, p.Value)))
        {
            ours.Add(name);
            var inB = theirs.TryGetValue(name, out var other);
            if (Field(prefix + name, true, value, inB, other) is { } row)
            {
                yield return row;
            }
        }

        foreach (var (name, value) in b.Where(p => !ours.Contains(p.Key)).Select(p => (p.Key, p.Value)))
        {
            if (Field(prefix + name, false, null, true, value) is { } row)
            {
                yield return row;
            }
        }
    }

    private static ImageDifference? Field(string name, bool inA, object? a, bool inB, object? b) => (inA, inB) switch
    {
        (false, false) => null,
        (true, false) => new ImageDifference(ImageDifferenceKind.Config, name, DifferenceSide.ReferenceOnly, a, null),
        (false, true) => new ImageDifference(ImageDifferenceKind.Config, name, DifferenceSide.DifferenceOnly, null, b),
        _ => new ImageDifference(ImageDifferenceKind.Config, name, Same(a, b) ? DifferenceSide.Equal : DifferenceSide.Changed, a, b),
    };

    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (string[] x, string[] y) => x.SequenceEqual(y, StringComparer.Ordinal),
        (DateTimeOffset x, DateTimeOffset y) => x.UtcTicks == y.UtcTicks,
        _ => Equals(a, b),
    };

    private static string[]? List(IReadOnlyList<string> items) => items.Count == 0 ? null : [.. items];

    private static string[] Sorted(IReadOnlyList<string> items) => [.. items.OrderBy(i => i, StringComparer.Ordinal)];
}
