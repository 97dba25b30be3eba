using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>
/// Runs a Docker credential helper: <c>docker-credential-&lt;name&gt; get</c> with the server URL on standard input,
/// answering <c>{"ServerURL":…,"Username":…,"Secret":…}</c> on standard output; a <c>Username</c> of
/// <c>&lt;token&gt;</c> makes the secret an identity token. The helper gets a time limit and is killed past it, and
/// its output is capped. Nothing the helper prints ever goes into a message: any of it may be the secret.
/// </summary>
/// <remarks>Protocol: https://github.com/docker/docker-credential-helpers (client/client.go, credentials/credentials.go).</remarks>
internal static class CredentialHelper
{
    /// <summary>What a helper says, on exit code 1, when it holds nothing for the server.</summary>
    internal const string NotFoundMessage = "credentials not found in native keychain";


    /// <summary>How long output may still arrive after the helper exited, from a process that outlives it.</summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(1);

    /// <summary>How a helper run ended.</summary>
    internal enum Outcome
    {
        /// <summary>The helper answered with a credential.</summary>
        Found,

        /// <summary>The helper holds nothing for this server.</summary>
        NotFound,

        /// <summary>No executable of that name is on the search path.</summary>
        Missing,

        /// <summary>The helper failed, or answered with something unusable.</summary>
        Failed,

        /// <summary>The helper did not finish in time and was killed.</summary>
        TimedOut,
    }

    /// <summary>The executable name of helper <paramref name="name"/> on this platform.</summary>
    public static string ExecutableName(string name) =>
        "docker-credential-" + name + (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? ".exe" : string.Empty);

    /// <summary>
    /// Asks helper <paramref name="name"/> for the credential of <paramref name="serverUrl"/>.
    /// </summary>
    /// <param name="name">The helper name from the config (<c>desktop</c>, <c>pass</c>, <c>ecr-login</c>).</param>
    /// <param name="serverUrl">What goes on standard input: a registry host, or Docker Hub's legacy URL.</param>
    /// <param name="timeout">How long the helper may run.</param>
    /// <param name="searchPath">The directories to look in, as in <c>PATH</c>; null reads <c>PATH</c>.</param>
    /// <param name="cancellationToken">Stops the helper (it is killed).</param>
    public static async Task<(Outcome Outcome, RegistryCredential? Credential, string? Problem)> GetAsync(
        string name, string serverUrl, TimeSpan timeout, string? searchPath, CancellationToken cancellationToken)
    {
        if (name.IndexOfAny(['/', '\\', ':']) >= 0 || name.IndexOf("..", StringComparison.Ordinal) >= 0 || name.Trim().Length == 0)
        {
            return (Outcome.Failed, null, "its name is not a plain helper name");
        }

        var executable = Locate(ExecutableName(name), searchPath);
        if (executable is null)
        {
            return (Outcome.Missing, null, $"{ExecutableName(name)} is not on the PATH");
        }

        using var group = HelperProcessGroup.Launch(executable, "get");
        var start = new ProcessStartInfo(group.FileName, group.Arguments)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult(true);
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            return (Outcome.Failed, null, $"it could not be started ({e.Message})");
        }

        group.Started(process);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var stdout = new CapturedOutput(Limits.CredentialHelperOutputBytes, keepPrefix: false);
        var stderr = new CapturedOutput(Limits.CredentialHelperErrorBytes, keepPrefix: true);
        Task? reading = null;
        try
        {
            // Past a cap the helper is stopped at once: left alone it would block on a full pipe until the time limit.
            reading = Task.WhenAll(
                stdout.ReadAsync(process.StandardOutput.BaseStream, () => group.Stop(process), limit.Token),
                stderr.ReadAsync(process.StandardError.BaseStream, null, limit.Token));
            await WriteInputAsync(process, serverUrl).ConfigureAwait(false);

            // The time limit is on the helper's own exit, not on the end of its output: a child it started in the
            // background inherits standard output and may hold it open long after the answer was written.
            var stopped = Task.Delay(Timeout.Infinite, limit.Token);
            if (await Task.WhenAny(exited.Task, stopped).ConfigureAwait(false) != exited.Task)
            {
                group.Stop(process);
                cancellationToken.ThrowIfCancellationRequested();
                return (Outcome.TimedOut, null, $"it did not answer within {timeout.TotalSeconds:0.#} s and was stopped");
            }

            // Whatever it left running in its group ends now, which also closes the pipe ends those processes held.
            // One that left the group on purpose (a daemon such as gpg-agent) is not ours to end, and may still hold
            // them: after a short grace, what has arrived is the answer. The pipe keeps what the helper wrote
            // before it exited, so nothing of the answer is lost to the kill.
            group.EndLeftovers();
            await Task.WhenAny(reading, Task.Delay(DrainGrace, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (stdout.Overflow)
            {
                return (Outcome.Failed, null, $"it printed more than {Limits.CredentialHelperOutputBytes} bytes");
            }

            var answer = stdout.Bytes();
            if (process.ExitCode != 0)
            {
                return Says(answer, NotFoundMessage) || Says(stderr.Bytes(), NotFoundMessage)
                    ? (Outcome.NotFound, null, null)
                    : (Outcome.Failed, null, $"it exited with code {process.ExitCode}");
            }

            return Parse(answer);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            group.Stop(process);
            return (Outcome.TimedOut, null, $"it did not answer within {timeout.TotalSeconds:0.#} s and was stopped");
        }
        catch (OperationCanceledException)
        {
            group.Stop(process);
            throw;
        }
        catch (IOException e)
        {
            group.Stop(process);
            return (Outcome.Failed, null, $"talking to it failed ({e.GetType().Name})");
        }
        finally
        {
            // Reads still waiting on a pipe that a daemon holds end with an error once the process is disposed;
            // nobody waits for them, so their failure is observed here rather than reported as unobserved.
            _ = reading?.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    /// <summary>The first file named <paramref name="executable"/> in the directories of <paramref name="searchPath"/>.</summary>
    internal static string? Locate(string executable, string? searchPath)
    {
        var path = searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split([System.IO.Path.PathSeparator], StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                var candidate = System.IO.Path.Combine(directory.Trim('"'), executable);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
            catch (ArgumentException)
            {
                // A PATH entry with characters no path may hold: skip it, as a shell would.
            }
        }

        return null;
    }

    /// <summary>Reads the helper's answer. Username <c>&lt;token&gt;</c> marks an identity token.</summary>
    internal static (Outcome Outcome, RegistryCredential? Credential, string? Problem) Parse(byte[] output)
    {
        string? username;
        string? secret;
        try
        {
            using var document = JsonDocument.Parse(output);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (Outcome.Failed, null, "its answer is not a JSON object");
            }

            username = root.TryGetProperty("Username", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            secret = root.TryGetProperty("Secret", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Never the parser's message: it quotes the text, which may be the secret.
            return (Outcome.Failed, null, "its answer is not valid JSON");
        }

        if (string.IsNullOrEmpty(secret))
        {
            return (Outcome.NotFound, null, null);
        }

        if (username == "<token>")
        {
            return (Outcome.Found, RegistryCredential.FromIdentityToken(secret!), null);
        }

        if (string.IsNullOrEmpty(username) || username!.IndexOf(':') >= 0)
        {
            return (Outcome.Failed, null, "its answer has no usable user name");
        }

        return (Outcome.Found, RegistryCredential.FromPassword(username, secret!), null);
    }

    private static bool Says(byte[] output, string message) =>
        Encoding.UTF8.GetString(output).IndexOf(message, StringComparison.OrdinalIgnoreCase) >= 0;

    private static async Task WriteInputAsync(Process process, string serverUrl)
    {
        try
        {
            // No newline: docker's client writes the bare URL, and helpers trim what they read.
            await process.StandardInput.WriteAsync(serverUrl).ConfigureAwait(false);
            await process.StandardInput.FlushAsync().ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The helper exited without reading its input; its exit code tells what happened.
        }
    }
}
