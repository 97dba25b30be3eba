namespace OciRegistry.Output;

/// <summary>A tag of a repository; its <see cref="Reference"/> pipes into <c>Get-OciManifest</c>.</summary>
public sealed class OciTag
{
    internal OciTag(string registry, string repository, string tag)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
    }

    /// <summary>The tag.</summary>
    public string Tag { get; }

    /// <summary>The repository.</summary>
    public string Repository { get; }

    /// <summary>The registry.</summary>
    public string Registry { get; }

    /// <summary><c>registry/repository:tag</c>.</summary>
    public string Reference => Registry + "/" + Repository + ":" + Tag;

    /// <summary>The tag.</summary>
    public override string ToString() => Tag;
}
