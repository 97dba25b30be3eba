using System;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Hosting;

/// <summary>
/// Turns one blob's <see cref="TransferProgress"/> events into Write-Progress records under a parent activity:
/// bytes, rate and time left, waits shown as such, at most four updates a second.
/// </summary>
internal sealed class TransferProgressView
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly int _activityId;
    private readonly int _parentId;
    private readonly string _activity;
    private readonly Action<ProgressRecord> _write;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastShown = TimeSpan.FromDays(-1);
    private long _firstBytes = -1;
    private bool _shown;

    public TransferProgressView(int activityId, int parentId, string activity, Action<ProgressRecord> write)
    {
        _activityId = activityId;
        _parentId = parentId;
        _activity = activity;
        _write = write;
    }

    public void Report(TransferProgress progress)
    {
        // Transfer progress and retry waits arrive from different threads.
        lock (_clock)
        {
            ReportLocked(progress);
        }
    }

    private void ReportLocked(TransferProgress progress)
    {
        var now = _clock.Elapsed;
        if (progress.State != TransferState.Waiting && progress.State != TransferState.Completed && now - _lastShown < Interval)
        {
            return;
        }

        _lastShown = now;
        if (progress.State == TransferState.Completed)
        {
            if (_shown)
            {
                _write(new ProgressRecord(_activityId, _activity, "done") { ParentActivityId = _parentId, RecordType = ProgressRecordType.Completed });
            }

            return;
        }

        _shown = true;
        var record = new ProgressRecord(_activityId, _activity, Describe(progress, now)) { ParentActivityId = _parentId };
        if (progress.TotalBytes > 0 && progress.BytesDone >= 0)
        {
            record.PercentComplete = (int)Math.Min(100, progress.BytesDone * 100 / progress.TotalBytes);
        }

        _write(record);
    }

    private string Describe(TransferProgress progress, TimeSpan now)
    {
        switch (progress.State)
        {
            case TransferState.Waiting:
                return $"waiting {progress.Wait?.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s before trying again (the registry asked us to wait, or the connection dropped)";
            case TransferState.Verifying:
                return $"checking {Size.Format(progress.BytesDone)} of {Size.Format(progress.TotalBytes)} already on disk";
        }

        if (_firstBytes < 0)
        {
            _firstBytes = progress.BytesDone;
        }

        var seconds = now.TotalSeconds;
        var rate = seconds > 0 ? (progress.BytesDone - _firstBytes) / seconds : 0;
        var text = $"{Size.Format(progress.BytesDone)} of {Size.Format(progress.TotalBytes)}";
        if (rate > 0)
        {
            var left = TimeSpan.FromSeconds((progress.TotalBytes - progress.BytesDone) / rate);
            text += $" at {Size.Format((long)rate)}/s, {left:hh\\:mm\\:ss} left";
        }

        return progress.ResumedFrom > 0 ? text + $" (resumed at {Size.Format(progress.ResumedFrom)})" : text;
    }
}
