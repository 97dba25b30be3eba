using System;
using System.Collections.Generic;
using System.Linq;
using OciRegistry.Core.TestRegistry;

namespace OciRegistry.Output;

/// <summary>
/// A running in-process test registry. Point references at <see cref="Host"/>
/// (<c>"$($registry.Host)/samples/hello:1.0"</c>); stop it with <c>Stop-OciTestRegistry</c> or <see cref="Stop"/>.
/// </summary>
public sealed class OciTestRegistry : IDisposable
{
    private static readonly List<OciTestRegistry> Running = [];
    private readonly TestRegistryServer _server;

    internal OciTestRegistry(TestRegistryServer server)
    {
        _server = server;
        lock (Running)
        {
            Running.Add(this);
        }
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url => _server.Url;

    /// <summary>The registry part of a reference, e.g. <c>127.0.0.1:41234</c>.</summary>
    public string Host => _server.Host;

    /// <summary>The TCP port.</summary>
    public int Port => _server.Port;

    /// <summary>Whether it still accepts requests.</summary>
    public bool IsRunning => _server.IsRunning;

    /// <summary>The repositories it serves.</summary>
    public string[] Repositories => _server.Content.Repositories.OrderBy(r => r, StringComparer.Ordinal).ToArray();

    /// <summary>The tags of <paramref name="repository"/>.</summary>
    public string[] GetTags(string repository) => [.. _server.Content.GetTags(repository)];

    /// <summary>Adds a blob to <paramref name="repository"/> while the registry runs; returns its digest.</summary>
    public string AddBlob(string repository, byte[] content) => _server.Content.AddBlob(repository, content).ToString();

    /// <summary>
    /// Adds a manifest (its blobs must be added first for clients that fetch them) and points <paramref name="tags"/>
    /// at it; returns its digest. Bytes that do not parse as a supported manifest are served as they are, so tests
    /// can check how scripts cope with malformed or unsupported manifests.
    /// </summary>
    public string AddManifest(string repository, byte[] content, string mediaType, params string[] tags)
    {
        try
        {
            return _server.Content.AddManifest(repository, content, mediaType, tags).ToString();
        }
        catch (Core.Models.ManifestFormatException)
        {
            return _server.Content.AddUncheckedManifest(repository, content, mediaType, tags).ToString();
        }
    }

    /// <summary>Points <paramref name="tag"/> at a manifest already in <paramref name="repository"/>.</summary>
    public void SetTag(string repository, string tag, string digest) =>
        _server.Content.SetTag(repository, tag, Core.References.Digest.Parse(digest));

    /// <summary>Stops the registry and frees its port.</summary>
    public void Stop()
    {
        lock (Running)
        {
            Running.Remove(this);
        }

        _server.Dispose();
    }

    /// <summary>Stops the registry.</summary>
    public void Dispose() => Stop();

    /// <summary>The URL.</summary>
    public override string ToString() => Url.ToString();

    /// <summary>Every registry started in this session and not yet stopped.</summary>
    internal static OciTestRegistry[] AllRunning()
    {
        lock (Running)
        {
            return [.. Running];
        }
    }

    /// <summary>Stops every registry (module removal).</summary>
    internal static void StopAll()
    {
        foreach (var registry in AllRunning())
        {
            registry.Stop();
        }
    }
}
