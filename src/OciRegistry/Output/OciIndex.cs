using System.Linq;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;

namespace OciRegistry.Output;

/// <summary>An image index (OCI) or manifest list (Docker): one manifest per platform.</summary>
public sealed class OciIndex : OciManifestBase
{
    internal OciIndex(ImageIndex index, Reference requested)
        : base(index, requested)
    {
        Manifests = Wrap(index.Manifests);
        Platforms = Manifests.Where(m => m.Platform is not null).Select(m => m.Platform!.ToString()).ToArray();
    }

    /// <summary>The manifests the index lists, each with its platform.</summary>
    public OciDescriptor[] Manifests { get; }

    /// <summary>The platforms, as <c>os/architecture[/variant]</c>.</summary>
    public string[] Platforms { get; }
}
