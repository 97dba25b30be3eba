using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Extraction;
using OciRegistry.Hosting;

namespace OciRegistry.Commands;

/// <summary>
/// Get-OciImageFile: files as the image's final filesystem has them, from the topmost layer that holds them, links
/// followed inside the image; written under -Destination, or read into the pipeline as text or bytes (capped).
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Get-OciImageFile.md</c>.</remarks>
[Cmdlet(VerbsCommon.Get, "OciImageFile", DefaultParameterSetName = RegistrySet, SupportsShouldProcess = true)]
[OutputType(typeof(string), typeof(byte[]), typeof(FileInfo))]
public sealed class GetOciImageFileCommand : ImageFilesCmdlet
{
    /// <summary>The path in the image, e.g. <c>/usr/local/bin/tool</c>; wildcards match one path component each.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Writes the files into this folder (created if needed) instead of the pipeline.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>A folder brings the files below it, keeping their relative structure.</summary>
    [Parameter]
    public SwitchParameter Recurse { get; set; }

    /// <summary>Emits each file as one string rather than line by line.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>Emits each file's bytes as one byte array.</summary>
    [Parameter]
    public SwitchParameter AsByteStream { get; set; }

    /// <summary>Replaces files that already exist at the destination.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private string? _destination;

    private protected override bool Prepare()
    {
        _destination = Destination is null ? null : GetUnresolvedProviderPathFromPSPath(Destination);
        return _destination is null || ShouldProcess(_destination, $"Write {string.Join(", ", Path)} of {Target}");
    }

    private protected override async Task RunAsync(ImageLayers image, CancellationToken cancellationToken)
    {
        var options = Options();
        FileSink sink = _destination is null ? new MemoryFileSink() : new FolderFileSink(_destination, Force);
        var finder = new ImageFileFinder(image, options, sink);
        foreach (var path in Path)
        {
            var query = ImagePathPattern.HasWildcards(path)
                ? ImageFileQuery.Pattern(path, ImagePathPattern.Compile(path), Recurse)
                : ImageFileQuery.Literal(path, Recurse);
            var files = await finder.FindAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var file in files)
            {
                Emit(file);
            }
        }

        QueueVerbose($"Read {finder.LayersRead} of {image.Layers.Count} layer(s), {Size.Format(finder.BytesRead)}, each verified.");
    }

    private void Emit(PendingFile file)
    {
        switch (file)
        {
            case FolderFileSink.OnDisk written:
                QueueObject(new FileInfo(written.FullName));
                break;
            case MemoryFileSink.InMemory read when AsByteStream:
                var bytes = read.Content;
                Post(() => WriteObject(bytes, enumerateCollection: false));
                break;
            case MemoryFileSink.InMemory read:
                var text = Decode(read.Content);
                if (Raw)
                {
                    QueueObject(text);
                }
                else
                {
                    foreach (var line in Lines(text))
                    {
                        QueueObject(line);
                    }
                }

                break;
        }
    }

    private static string Decode(byte[] content)
    {
        using var reader = new StreamReader(new MemoryStream(content), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static IEnumerable<string> Lines(string text)
    {
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
