namespace OciRegistry.Core.Tests.Archive;

/// <summary>A fact that needs a tool on PATH (python3, GNU tar): skipped, with the reason, where it is missing.</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool)
    {
        if (ExternalTar.Find(tool) is null)
        {
            Skip = $"{tool} is not on PATH";
        }
    }
}
