using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace OciRegistry.Core.Tests.Archive;

/// <summary>Archives made by real writers: Python's tarfile (each of its formats) and GNU tar.</summary>
internal static class ExternalTar
{
    /// <summary>Runs a Python script that writes a tar to <c>out</c> (a binary stdout) and returns the bytes.</summary>
    public static Task<byte[]> PythonAsync(string script) =>
        RunAsync("python3", ["-c", "import sys, io, tarfile\nout = sys.stdout.buffer\n" + script]);

    /// <summary>Runs GNU tar with the arguments (which should write the archive to stdout: <c>-cf -</c>) in a folder.</summary>
    public static Task<byte[]> GnuTarAsync(string workingDirectory, params string[] arguments) =>
        RunAsync("tar", arguments, workingDirectory);

    /// <summary>Runs any tool and returns what it wrote to stdout.</summary>
    public static Task<byte[]> RunToolAsync(string tool, params string[] arguments) => RunAsync(tool, arguments);

    public static string? Find(string tool)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(folder, tool);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private static async Task<byte[]> RunAsync(string tool, string[] arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {await error}");
        return output.ToArray();
    }
}
