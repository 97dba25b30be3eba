using System;
using System.IO;
using System.Linq;
using OciRegistry.Core.LocalFiles;

namespace OciRegistry.Core.Tests.Extraction;

/// <summary>A temp folder holding a destination, a canary beside it and an "outside" folder attacks aim at.</summary>
internal sealed class ExtractionFolder : IDisposable
{
    public ExtractionFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "oci-extract-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(Root);
        Outside = Path.Combine(Root, "outside");
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "passwd"), "original");
        Destination = Path.Combine(Root, "dest");
    }

    public string Root { get; }

    public string Outside { get; }

    public string Destination { get; }

    public string In(string relative) => Path.Combine(Destination, relative);

    /// <summary>The outside folder holds exactly what it held, and nothing but the destination (if made) lies beside it.</summary>
    public void AssertUntouched(bool destinationExists)
    {
        Xunit.Assert.Equal(new[] { "passwd" }, Directory.GetFileSystemEntries(Outside).Select(entry => Path.GetFileName(entry)!).ToArray());
        Xunit.Assert.Equal("original", File.ReadAllText(Path.Combine(Outside, "passwd")));
        var beside = Directory.GetFileSystemEntries(Root).Select(entry => Path.GetFileName(entry)!).OrderBy(name => name, StringComparer.Ordinal).ToArray();
        Xunit.Assert.Equal(destinationExists ? new[] { "dest", "outside" } : new[] { "outside" }, beside);
    }

    public void Dispose() => FileSystemEntry.Delete(Root);
}
