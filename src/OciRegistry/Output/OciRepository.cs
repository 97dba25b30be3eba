namespace OciRegistry.Output;

/// <summary>A repository in a registry's catalog; its <see cref="Reference"/> pipes into <c>Get-OciTag</c>.</summary>
public sealed class OciRepository
{
    internal OciRepository(string registry, string repository)
    {
        Registry = registry;
        Repository = repository;
    }

    /// <summary>The repository path, e.g. <c>team/app</c>.</summary>
    public string Repository { get; }

    /// <summary>The registry.</summary>
    public string Registry { get; }

    /// <summary><c>registry/repository</c>.</summary>
    public string Reference => Registry + "/" + Repository;

    /// <summary>The reference.</summary>
    public override string ToString() => Reference;
}
