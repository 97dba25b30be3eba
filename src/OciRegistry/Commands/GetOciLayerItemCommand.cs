using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Extraction;
using OciRegistry.Core.References;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Get-OciLayerItem: the entries of an image's layers as objects, layer by layer, or with -Flatten the filesystem
/// all layers make; each layer read whole and verified before its entries are emitted.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Get-OciLayerItem.md</c>.</remarks>
[Cmdlet(VerbsCommon.Get, "OciLayerItem", DefaultParameterSetName = RegistrySet)]
[OutputType(typeof(OciLayerItem))]
public sealed class GetOciLayerItemCommand : ImageFilesCmdlet
{
    private const string BlobSet = "Blob";

    /// <summary>Which layers: positions (0 is the base, -1 the top) or digests (a unique prefix of the hex will do).</summary>
    [Parameter(ParameterSetName = RegistrySet)]
    [Parameter(ParameterSetName = LayoutSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Layer { get; set; }

    /// <summary>Lists the image's final filesystem instead: each path once, whiteouts applied, sorted by path.</summary>
    [Parameter(ParameterSetName = RegistrySet)]
    [Parameter(ParameterSetName = LayoutSet)]
    public SwitchParameter Flatten { get; set; }

    /// <summary>A layer descriptor, as Get-OciManifest's Layers hold them, piped in: that layer is listed on its own.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = BlobSet)]
    public OciDescriptor? Descriptor { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (ParameterSetName != BlobSet)
        {
            base.ProcessRecord();
            return;
        }

        var descriptor = Descriptor!;
        RunAsync(async ct =>
        {
            try
            {
                if (descriptor.Registry is null || descriptor.Repository is null)
                {
                    throw new ArgumentException($"The descriptor {descriptor.Digest} does not say which repository it came from; pipe it from Get-OciManifest.");
                }

                var repository = Core.References.Reference.ParseRepository(descriptor.Registry + "/" + descriptor.Repository);
                var layer = new Core.Models.Descriptor
                {
                    MediaType = descriptor.MediaType,
                    Digest = Digest.Parse(descriptor.Digest),
                    Size = descriptor.Size,
                    Urls = descriptor.Urls,
                };
                await RunAsync(ImageLayers.FromBlob(ClientFor(repository.Registry), repository, layer), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                QueueFailure(e, descriptor.Reference ?? descriptor.Digest, ErrorSubject.Blob);
            }
        });
    }

    private protected override async Task RunAsync(ImageLayers image, CancellationToken cancellationToken)
    {
        var options = Options();
        if (Flatten)
        {
            foreach (var item in await ImageLister.FlattenAsync(image, options, cancellationToken).ConfigureAwait(false))
            {
                QueueObject(new OciLayerItem(item));
            }

            return;
        }

        foreach (var index in Select(image))
        {
            var items = await ImageLister.ListLayerAsync(image, index, options, cancellationToken).ConfigureAwait(false);
            QueueVerbose($"Layer {index} ({image.Layers[index].Digest}): {items.Count} entries, verified.");
            foreach (var item in items)
            {
                QueueObject(new OciLayerItem(item));
            }
        }
    }

    private IEnumerable<int> Select(ImageLayers image)
    {
        if (Layer is null)
        {
            return Enumerable.Range(0, image.Layers.Count);
        }

        var chosen = new List<int>();
        foreach (var text in Layer)
        {
            chosen.Add(Find(image, text));
        }

        return chosen;
    }

    private static int Find(ImageLayers image, string text)
    {
        var count = image.Layers.Count;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var position))
        {
            var index = position < 0 ? count + position : position;
            if (index < 0 || index >= count)
            {
                throw new LayerSelectionException($"{image.Name} has {count} layer(s), numbered 0 to {count - 1} (or -1 for the top); there is no layer {position}");
            }

            return index;
        }

        var hex = text.Contains(":") ? text.Substring(text.IndexOf(':') + 1) : text;
        var matches = Enumerable.Range(0, count)
            .Where(i => image.Layers[i].Digest.ToString() == text || (hex.Length >= 4 && image.Layers[i].Digest.Encoded.StartsWith(hex, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new LayerSelectionException($"{image.Name} has no layer {text}"),
            _ => throw new LayerSelectionException($"'{text}' matches {matches.Count} layers of {image.Name}; give more of the digest"),
        };
    }
}
