using System;
using System.Diagnostics;
using System.Globalization;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Hosting;

/// <summary>
/// Turns one blob's <see cref="TransferProgress"/> events into a few plain lines for a CI log, where progress
/// bars are noise: one when it starts, one at each quarter or after ten silent seconds, one for each wait, one at
/// the end, with bytes and rate. Blobs under <see cref="Threshold"/> finish before a line would help and get none.
/// </summary>
internal sealed class TransferLogView
{
    /// <summary>The smallest transfer that gets lines.</summary>
    public const long Threshold = 1024 * 1024;

    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);
    private readonly string _label;
    private readonly Action<string> _write;
    private readonly Stopwatch _clock = new();
    private TimeSpan _lastLine;
    private long _firstBytes = -1;
    private long _nextQuarter;
    private bool _started;
    private readonly bool _upload;
    private bool _downloaded;

    /// <summary>A view of one transfer; <paramref name="upload"/> for a push, whose end is worded as such.</summary>
    public TransferLogView(string label, Action<string> write, bool upload = false)
    {
        _label = label;
        _write = write;
        _upload = upload;
    }

    /// <summary>Whether a transfer of <paramref name="bytes"/> gets lines; callers skip their own summary line too.</summary>
    public static bool Covers(long bytes) => bytes >= Threshold;

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
        if (!Covers(progress.TotalBytes))
        {
            return;
        }

        if (!_started)
        {
            _started = true;
            _clock.Start();
            _write($"{_label}: starting {Size.Format(progress.TotalBytes)}" +
                   (progress.ResumedFrom > 0 ? $", resuming at {Size.Format(progress.ResumedFrom)}" : string.Empty));
            _nextQuarter = (progress.BytesDone * 4 / progress.TotalBytes) + 1;
        }

        var now = _clock.Elapsed;
        switch (progress.State)
        {
            case TransferState.Waiting:
                _lastLine = now;
                _write($"{_label}: waiting {progress.Wait?.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s before trying again");
                return;
            case TransferState.Completed:
                var seconds = Math.Max(now.TotalSeconds, 0.001);
                var timing = $"{Size.Format(progress.TotalBytes)} in {now.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s ({Size.Format((long)((progress.TotalBytes - Math.Max(_firstBytes, 0)) / seconds))}/s)";

                // An upload the registry needed no bytes for (it had the blob, or mounted it) also ends without
                // progress in between; so does a small one sent in a single request: all the line can say is where it is.
                _write((_downloaded, _upload) switch
                {
                    (true, false) => $"{_label}: saved {timing}",
                    (true, true) => $"{_label}: uploaded {timing}",
                    (false, false) => $"{_label}: {Size.Format(progress.TotalBytes)} already there, verified",
                    (false, true) => $"{_label}: {Size.Format(progress.TotalBytes)} in the registry",
                });
                return;
            case TransferState.Downloading or TransferState.Uploading:
                if (!_downloaded)
                {
                    _downloaded = true;
                    _firstBytes = progress.BytesDone;
                }

                break;
        }

        var quarter = progress.BytesDone * 4 / progress.TotalBytes;
        var atQuarter = quarter >= _nextQuarter && quarter < 4;
        if (!atQuarter && now - _lastLine < Heartbeat)
        {
            return;
        }

        if (atQuarter)
        {
            _nextQuarter = quarter + 1;
        }

        _lastLine = now;
        var percent = atQuarter ? quarter * 25 : progress.BytesDone * 100 / progress.TotalBytes;
        var text = $"{_label}: {Size.Format(progress.BytesDone)} of {Size.Format(progress.TotalBytes)} ({percent} %)";
        if (progress.State == TransferState.Verifying)
        {
            _write(text + " checked on disk");
            return;
        }

        var rate = now.TotalSeconds > 0 ? (progress.BytesDone - _firstBytes) / now.TotalSeconds : 0;
        _write(rate > 0 ? text + $" at {Size.Format((long)rate)}/s" : text);
    }
}
