using System;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Core.Tests.Push;

/// <summary>An <see cref="IProgress{T}"/> that runs its handler at once, on the reporting thread.</summary>
internal sealed class InlineProgress(Action<TransferProgress> handler) : IProgress<TransferProgress>
{
    public void Report(TransferProgress value) => handler(value);
}
