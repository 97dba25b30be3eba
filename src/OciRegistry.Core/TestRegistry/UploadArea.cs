using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;

namespace OciRegistry.Core.TestRegistry;

/// <summary>
/// The upload sessions of one server and the folder their spilled bytes go to: created under the temp folder on
/// the first upload larger than <see cref="UploadSession.MemoryLimit"/>, deleted with everything in it when the
/// server stops. Pushed blobs that outgrew memory stay there and are served from there.
/// </summary>
internal sealed class UploadArea : IDisposable
{
    private readonly ConcurrentDictionary<string, UploadSession> _sessions = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private string? _folder;
    private int _disposed;

    /// <summary>The folder spilled uploads go to, once one did; null before.</summary>
    internal string? Folder
    {
        get
        {
            lock (_gate)
            {
                return _folder;
            }
        }
    }

    /// <summary>Opens a session for <paramref name="repository"/>.</summary>
    public UploadSession Start(string repository)
    {
        ThrowIfDisposed();
        var session = new UploadSession(Guid.NewGuid().ToString("N"), repository, this);
        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>The session <paramref name="id"/> of <paramref name="repository"/>, or null.</summary>
    public UploadSession? Find(string repository, string id) =>
        _sessions.TryGetValue(id, out var session) && string.Equals(session.Repository, repository, StringComparison.Ordinal) ? session : null;

    /// <summary>Forgets a session (finished or cancelled); its bytes are the session's to release.</summary>
    public void Remove(UploadSession session) => _sessions.TryRemove(session.Id, out _);

    /// <summary>A new file in the server's folder, opened for writing and reading back.</summary>
    public FileStream CreateFile()
    {
        ThrowIfDisposed();
        string folder;
        lock (_gate)
        {
            _folder ??= Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "oci-test-registry-" + Guid.NewGuid().ToString("N"))).FullName;
            folder = _folder;
        }

        return new FileStream(Path.Combine(folder, Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous);
    }

    /// <summary>Drops every session and deletes the folder (best effort: a file still open elsewhere may remain on Windows).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var session in _sessions.Values)
        {
            session.Discard();
        }

        _sessions.Clear();
        string? folder;
        lock (_gate)
        {
            folder = _folder;
        }

        if (folder is null)
        {
            return;
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            throw new ObjectDisposedException(nameof(UploadArea), "the test registry has stopped");
        }
    }
}
