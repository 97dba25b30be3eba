using System;
using System.Collections.Generic;

namespace OciRegistry.Hosting;

/// <summary>
/// Writes the results of parallel work in the order the work was started, not in the order it finished: a
/// manifest's blobs come out config first, then its layers in order, whichever download ended first. A result is
/// written as soon as every earlier one is; work that failed or was refused frees its place with no result.
/// </summary>
internal sealed class OutputOrder
{
    private readonly SortedDictionary<int, object?> _done = new();
    private int _reserved;
    private int _next;

    /// <summary>Takes the next place in line; call on the pipeline thread, in the order the work starts.</summary>
    public int Reserve()
    {
        lock (_done)
        {
            return _reserved++;
        }
    }

    /// <summary>Fills <paramref name="slot"/> and writes, through <paramref name="write"/>, every result now due.</summary>
    public void Complete(int slot, object? result, Action<object> write)
    {
        lock (_done)
        {
            _done[slot] = result;
            while (_done.TryGetValue(_next, out var due))
            {
                _done.Remove(_next);
                _next++;
                if (due is not null)
                {
                    write(due);
                }
            }
        }
    }
}
