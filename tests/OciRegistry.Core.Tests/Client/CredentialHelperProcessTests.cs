using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Tests.Support;

namespace OciRegistry.Core.Tests.Client;

/// <summary>
/// What a credential helper leaves running. Real helpers are shell wrappers around other programs, and a background
/// child inherits the helper's standard output: its answer must still count, and nothing it started may outlive
/// the lookup. Each fake helper writes the PIDs of its children to a file, and the tests check them with <c>kill -0</c>.
/// </summary>
public sealed class CredentialHelperProcessTests : IDisposable
{
    private const string Answer = "printf '%s' '{\"ServerURL\":\"ghcr.io\",\"Username\":\"ci-user\",\"Secret\":\"Helper-S3cret-Value\"}'";

    private readonly HelperFolder _folder = new();

    public void Dispose()
    {
        foreach (var pid in ChildPids())
        {
            // A test that failed must not leave its sleepers behind either.
            Shell($"kill -9 {pid} 2>/dev/null");
        }

        _folder.Dispose();
    }

    [UnixFact]
    public async Task GetAsync_AnswerWithABackgroundChildOnStdout_UsesTheAnswerAndEndsTheChild()
    {
        _folder.Helper("leaves-child", $"sleep 60 & echo $! >> '{PidFile}'\n{Answer}");
        var clock = Stopwatch.StartNew();

        var (outcome, credential, problem) = await Get("leaves-child", TimeSpan.FromSeconds(8));

        Assert.True(outcome == CredentialHelper.Outcome.Found, $"{outcome}: {problem}");
        Assert.Equal("ci-user", credential!.Username);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}: the answer waited for the child instead of the helper");
        AssertAllGone();
    }

    [UnixFact]
    public async Task GetAsync_AnswerWithABackgroundSubshellOnStdout_UsesTheAnswerAndEndsTheSubshell()
    {
        _folder.Helper("leaves-subshell", $"(sleep 60; echo late) &\necho $! >> '{PidFile}'\n{Answer}");

        var (outcome, credential, problem) = await Get("leaves-subshell", TimeSpan.FromSeconds(8));

        Assert.True(outcome == CredentialHelper.Outcome.Found, $"{outcome}: {problem}");
        Assert.Equal("ci-user", credential!.Username);
        AssertAllGone();
    }

    [UnixFact]
    public async Task GetAsync_HangingHelperWithAnOrphanedGrandchild_KillsTheGrandchildToo()
    {
        // The subshell exits at once, so its sleeper is re-parented away from the helper: walking the helper's
        // children at the time limit cannot find it, only its process group can.
        _folder.Helper("hangs", $"(sleep 60 & echo $! >> '{PidFile}')\nsleep 30");
        var clock = Stopwatch.StartNew();

        var (outcome, _, problem) = await Get("hangs", TimeSpan.FromSeconds(1));

        Assert.Equal(CredentialHelper.Outcome.TimedOut, outcome);
        Assert.Contains("did not answer within 1 s", problem, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
        AssertAllGone();
    }

    [UnixFact]
    public async Task GetAsync_ChildInASessionOfItsOwnHoldsStdout_AnswerIsUsedWithoutWaitingForIt()
    {
        // A daemon (gpg-agent for the pass helper) leaves the helper's process group on purpose and is not ours to
        // kill; if it kept the helper's standard output open, the answer must still arrive without waiting for it.
        _folder.Helper("daemon", $"setsid sleep 60 & echo $! >> '{PidFile}'\n{Answer}");
        var clock = Stopwatch.StartNew();

        var (outcome, credential, problem) = await Get("daemon", TimeSpan.FromSeconds(8));

        Assert.True(outcome == CredentialHelper.Outcome.Found, $"{outcome}: {problem}");
        Assert.Equal("ci-user", credential!.Username);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed}");
    }

    private string PidFile => Path.Combine(_folder.Root, "children.pid");

    private Task<(CredentialHelper.Outcome Outcome, RegistryCredential? Credential, string? Problem)> Get(string name, TimeSpan timeout) =>
        CredentialHelper.GetAsync(name, "ghcr.io", timeout, _folder.Bin, CancellationToken.None);

    private string[] ChildPids() =>
        File.Exists(PidFile) ? File.ReadAllText(PidFile).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];

    /// <summary>Every recorded child has ended (a zombie waiting for its new parent to reap it counts as ended).</summary>
    private void AssertAllGone()
    {
        var pids = ChildPids();
        Assert.NotEmpty(pids);
        var deadline = Stopwatch.StartNew();
        foreach (var pid in pids)
        {
            while (IsRunning(pid) && deadline.Elapsed < TimeSpan.FromSeconds(5))
            {
                Thread.Sleep(50);
            }

            Assert.False(IsRunning(pid), $"the helper's child {pid} is still running");
        }
    }

    private static bool IsRunning(string pid) =>
        Shell($"kill -0 {pid} 2>/dev/null || exit 1; [ ! -r /proc/{pid}/stat ] || ! grep -q '^[0-9]* ([^)]*) Z' /proc/{pid}/stat") == 0;

    private static int Shell(string command)
    {
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { UseShellExecute = false })!;
        shell.WaitForExit();
        return shell.ExitCode;
    }
}
