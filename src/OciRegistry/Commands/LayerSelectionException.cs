using OciRegistry.Core;

namespace OciRegistry.Commands;

/// <summary>A -Layer value that names no layer of the image, or more than one.</summary>
internal sealed class LayerSelectionException(string message) : OciException(message);
