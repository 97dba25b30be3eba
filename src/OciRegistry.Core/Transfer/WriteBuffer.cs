using System;
using System.Buffers;
using System.Runtime.InteropServices;

namespace OciRegistry.Core.Transfer;

/// <summary>
/// A buffer that <see cref="PartialFileWriter"/> hands out and takes back: pooled, and pinned for its whole life so
/// that the writer may give its bytes to the disk directly. Where in it the next bytes go is the writer's business
/// (<see cref="PartialFileWriter.Space"/>); the caller only fills the space it is given.
/// </summary>
internal sealed class WriteBuffer : IDisposable
{
    private GCHandle _pin;

    internal WriteBuffer(int size, int alignment)
    {
        if (size <= alignment)
        {
            throw new ArgumentOutOfRangeException(nameof(size), "A write buffer must be larger than the alignment.");
        }

        Array = ArrayPool<byte>.Shared.Rent(size);
        _pin = GCHandle.Alloc(Array, GCHandleType.Pinned);
        Address = _pin.AddrOfPinnedObject();

        // Room for any in-page offset the writer may choose; a multiple of the alignment, so the alignment of file
        // offsets and memory holds from one fill of the buffer to the next.
        Capacity = size - alignment;
    }

    /// <summary>The bytes.</summary>
    public byte[] Array { get; }

    /// <summary>How many bytes one fill may hold, wherever in the buffer it starts.</summary>
    public int Capacity { get; }

    /// <summary>Where the array is pinned.</summary>
    internal IntPtr Address { get; }

    /// <summary>Unpins the array and returns it to the pool; the caller must no longer use it.</summary>
    public void Dispose()
    {
        if (_pin.IsAllocated)
        {
            _pin.Free();
            ArrayPool<byte>.Shared.Return(Array);
        }
    }
}
