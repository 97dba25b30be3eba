using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Extraction;
using OciRegistry.Core.Transfer;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Expand-OciImage: writes an image's filesystem into a folder, as a container runtime would lay it out, through a
/// staging folder that is moved into place only once every layer has been read and verified.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Expand-OciImage.md</c>.</remarks>
[Cmdlet(VerbsData.Expand, "OciImage", DefaultParameterSetName = RegistrySet, SupportsShouldProcess = true)]
[OutputType(typeof(OciExpandedImage))]
public sealed class ExpandOciImageCommand : ImageFilesCmdlet
{
    private const int ParentActivity = 1;

    /// <summary>The folder to write the filesystem into; created, and it must be empty unless -Force.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Writes only these image paths (wildcards match one component each); a folder brings its subtree.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Include { get; set; }

    /// <summary>Merges into a folder that is not empty, replacing what the image also has.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Keeps setuid and setgid bits, which are dropped by default.</summary>
    [Parameter]
    public SwitchParameter PreservePermissions { get; set; }

    private string _destination = string.Empty;

    private protected override bool Prepare()
    {
        _destination = GetUnresolvedProviderPathFromPSPath(Destination);
        if (!ShouldProcess(_destination, $"Expand {Target}"))
        {
            return false;
        }

        try
        {
            ImageExpander.CheckDestination(_destination, Force);
            return true;
        }
        catch (DestinationNotEmptyException e)
        {
            WriteError(ErrorMapping.ToErrorRecord(e, _destination, ErrorSubject.Content));
            return false;
        }
    }

    private protected override async Task RunAsync(ImageLayers image, CancellationToken cancellationToken)
    {
        var options = Options();
        options.PreservePermissions = PreservePermissions;
        if (Include is { } include)
        {
            var tests = include.Select(ImagePathPattern.Compile).ToArray();
            options.Include = path => tests.Any(test => test(path));
        }

        IProgress<TransferProgress>? progress = null;
        if (ShouldShowProgress())
        {
            var view = new TransferProgressView(ParentActivity + 1, ParentActivity, $"Expanding {image.Name}", QueueProgress);
            progress = new CallbackProgress<TransferProgress>(view.Report);
        }

        var result = await new ImageExpander(image, options, progress).ExpandAsync(_destination, Force, cancellationToken).ConfigureAwait(false);
        QueueVerbose($"Expanded {image.Name} into {result.Destination}: {result.Files} file(s), {result.Directories} folder(s), {result.Links} link(s), {Size.Format(result.Size)}; {result.Skipped} skipped.");
        QueueObject(new OciExpandedImage(result, image));
    }
}
