using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Extraction;

/// <summary>
/// Lists what layers hold: one layer's entries as its archive has them, or the filesystem all layers make (top
/// down, with <see cref="UpperLayers"/>). Each layer is read whole and verified before any of its entries is
/// returned, so nothing listed comes from bytes that did not match their digest.
/// </summary>
public static class ImageLister
{
    /// <summary>The entries of the layer at <paramref name="index"/> (0 is the base), in archive order, whiteouts included.</summary>
    public static async Task<IReadOnlyList<LayerItem>> ListLayerAsync(ImageLayers image, int index, ExtractionOptions options, CancellationToken cancellationToken = default)
    {
        if (image is null)
        {
            throw new ArgumentNullException(nameof(image));
        }

        var items = new List<LayerItem>();
        var budget = new ExpansionBudget(options);
        using var layer = await OpenLayer.OpenAsync(image, index, budget, options, cancellationToken).ConfigureAwait(false);
        while (await layer.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
        {
            items.Add(entry.ToItem(layer.Name));
        }

        await layer.FinishAsync(cancellationToken).ConfigureAwait(false);
        return items;
    }

    /// <summary>
    /// What the image's root holds once every layer is applied: each path once, from the topmost layer that has it,
    /// whiteouts applied (and not listed), sorted by path.
    /// </summary>
    public static async Task<IReadOnlyList<LayerItem>> FlattenAsync(ImageLayers image, ExtractionOptions options, CancellationToken cancellationToken = default)
    {
        if (image is null)
        {
            throw new ArgumentNullException(nameof(image));
        }

        var items = new List<LayerItem>();
        var upper = new UpperLayers();
        var budget = new ExpansionBudget(options);
        for (var index = image.Layers.Count - 1; index >= 0; index--)
        {
            if (LayerSkip.Skipped(image, index, options))
            {
                continue;
            }

            using var layer = await OpenLayer.OpenAsync(image, index, budget, options, cancellationToken).ConfigureAwait(false);
            while (await layer.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (upper.Hides(entry.Path))
                {
                    continue;
                }

                upper.Add(entry);
                if (entry.Kind is not (LayerEntryKind.Whiteout or LayerEntryKind.OpaqueWhiteout))
                {
                    items.Add(entry.ToItem(layer.Name));
                }
            }

            await layer.FinishAsync(cancellationToken).ConfigureAwait(false);
            upper.EndLayer();
        }

        items.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return items;
    }
}
