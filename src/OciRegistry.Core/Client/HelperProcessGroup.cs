using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace OciRegistry.Core.Client;

/// <summary>
/// Starts a helper so that everything it starts can be ended with it, including processes it left behind when it
/// exited (a background child is re-parented away from the helper, so walking the helper's children cannot find it).
/// On Linux the helper runs under <c>setsid</c>, in a process group of its own whose ID is its PID, and the group is
/// killed; on Windows it is put in a job object, and the job is terminated. Elsewhere (macOS has no <c>setsid</c>),
/// or when that fails, only the helper and its live descendants are killed.
/// </summary>
/// <remarks>
/// A daemon that calls <c>setsid</c> itself (gpg-agent, started by the <c>pass</c> helper) leaves the group on
/// purpose and survives, as it would under docker. setsid(1): https://man7.org/linux/man-pages/man1/setsid.1.html;
/// jobs: https://learn.microsoft.com/windows/win32/procthread/job-objects.
/// </remarks>
internal sealed class HelperProcessGroup : IDisposable
{
    private const int SigKill = 9;

    // Fixed locations only: the search path picks the helper, but nothing else that runs with the user's rights.
    private static readonly string? Setsid = FindSetsid();

    private readonly bool _ownGroup;
    private int _groupId;
    private IntPtr _job;

    private HelperProcessGroup(string fileName, string arguments, bool ownGroup)
    {
        FileName = fileName;
        Arguments = arguments;
        _ownGroup = ownGroup;
    }

    /// <summary>What to start.</summary>
    public string FileName { get; }

    /// <summary>Its arguments, as one string (netstandard2.0 has no argument list).</summary>
    public string Arguments { get; }

    /// <summary>How to start <paramref name="executable"/> with <paramref name="argument"/> (a plain word).</summary>
    public static HelperProcessGroup Launch(string executable, string argument)
    {
        // setsid does not fork when its caller leads no process group, and a process .NET starts never does: so the
        // helper keeps the PID we see, and its group ID is that PID. A path the argument parser would read
        // differently (quotes, backslashes) is started directly instead.
        if (Setsid is not null && executable.IndexOfAny(['"', '\\']) < 0)
        {
            return new HelperProcessGroup(Setsid, "\"" + executable + "\" " + argument, ownGroup: true);
        }

        return new HelperProcessGroup(executable, argument, ownGroup: false);
    }

    /// <summary>Records the started helper (its group, or its job on Windows).</summary>
    public void Started(Process process)
    {
        if (_ownGroup)
        {
            _groupId = process.Id;
            return;
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            // Children started before this line escape the job; a helper reads its input (not yet written) first.
            try
            {
                var job = CreateJobObject(IntPtr.Zero, null);
                if (job != IntPtr.Zero && !AssignProcessToJobObject(job, process.Handle))
                {
                    CloseHandle(job);
                    job = IntPtr.Zero;
                }

                _job = job;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException or Win32Exception)
            {
                _job = IntPtr.Zero;
            }
        }
    }

    /// <summary>Ends what the helper left running after it exited (nothing happens where no group or job exists).</summary>
    public void EndLeftovers()
    {
        try
        {
            if (_groupId > 0)
            {
                // The group outlives its leader while a member lives, so its ID cannot be handed to a new process
                // before this; once the group is empty the call finds nothing (ESRCH) and does nothing.
                _ = kill(-_groupId, SigKill);
            }
            else if (_job != IntPtr.Zero)
            {
                _ = TerminateJobObject(_job, 1);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No way to signal a group here; the helper itself is still killed by Stop.
        }
    }

    /// <summary>Kills the helper, its group or job, and (where the runtime can, .NET Core 3.0 and later) its live descendants.</summary>
    public void Stop(Process process)
    {
        EndLeftovers();
        try
        {
            if (process.HasExited)
            {
                return;
            }

            var tree = typeof(Process).GetMethod("Kill", BindingFlags.Public | BindingFlags.Instance, null, [typeof(bool)], null);
            if (tree is not null)
            {
                tree.Invoke(process, [true]);
            }
            else
            {
                process.Kill();
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or TargetInvocationException or NotSupportedException)
        {
            // It ended on its own meanwhile, or cannot be killed; either way nothing waits for it any more.
        }
    }

    public void Dispose()
    {
        if (_job != IntPtr.Zero)
        {
            _ = CloseHandle(_job);
            _job = IntPtr.Zero;
        }
    }

    private static string? FindSetsid()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return null;
        }

        foreach (var candidate in new[] { "/usr/bin/setsid", "/bin/setsid" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
    private static extern IntPtr CreateJobObject(IntPtr attributes, string? name);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool AssignProcessToJobObject(IntPtr job, IntPtr process);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool TerminateJobObject(IntPtr job, uint exitCode);

    [DllImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool CloseHandle(IntPtr handle);
}
