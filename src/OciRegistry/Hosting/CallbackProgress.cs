using System;

namespace OciRegistry.Hosting;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls back on the reporting thread, in order. (The BCL's
/// <c>Progress&lt;T&gt;</c> posts each report to the thread pool, which can reorder them.)
/// </summary>
internal sealed class CallbackProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
