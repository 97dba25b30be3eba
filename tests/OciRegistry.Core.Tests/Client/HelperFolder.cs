using System;
using System.IO;
using System.Text;

namespace OciRegistry.Core.Tests.Client;

/// <summary>
/// A temporary folder for credential tests: config files, and fake credential helpers written as small shell
/// scripts (so these tests run where <c>/bin/sh</c> does). Each helper records its argument and standard input.
/// </summary>
internal sealed class HelperFolder : IDisposable
{
    public HelperFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "ociregistry-creds-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Bin = Path.Combine(Root, "bin");
        Directory.CreateDirectory(Bin);
    }

    /// <summary>Whether fake helpers can run here.</summary>
    public static bool CanRunScripts => !OperatingSystem.IsWindows();

    public string Root { get; }

    /// <summary>The folder helpers are written to; pass it as the search path.</summary>
    public string Bin { get; }

    /// <summary>Writes <c>docker-credential-<paramref name="name"/></c> running <paramref name="body"/>.</summary>
    public void Helper(string name, string body)
    {
        var path = Path.Combine(Bin, "docker-credential-" + name);
        var script = "#!/bin/sh\n" +
            $"echo \"$1\" > '{Path.Combine(Root, name + ".args")}'\n" +
            $"cat > '{Path.Combine(Root, name + ".stdin")}'\n" +
            $"echo run >> '{Path.Combine(Root, name + ".runs")}'\n" +
            body + "\n";
        File.WriteAllText(path, script, new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>A helper that answers with <paramref name="username"/> and <paramref name="secret"/>.</summary>
    public void Answering(string name, string username, string secret) =>
        Helper(name, $"printf '%s' '{{\"ServerURL\":\"x\",\"Username\":\"{username}\",\"Secret\":\"{secret}\"}}'");

    public string? Stdin(string name) => Read(name + ".stdin");

    public string? Args(string name) => Read(name + ".args")?.Trim();

    public int Runs(string name) => Read(name + ".runs")?.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length ?? 0;

    /// <summary>Writes a file under the folder and returns its path.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private string? Read(string name)
    {
        var path = Path.Combine(Root, name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }
}
