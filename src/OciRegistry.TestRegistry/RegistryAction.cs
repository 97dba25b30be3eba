namespace OciRegistry.TestRegistry;

/// <summary>
/// What a request does to a repository, as bearer scopes name it (<c>repository:&lt;name&gt;:pull,push,delete</c>,
/// https://distribution.github.io/distribution/spec/auth/scope/).
/// </summary>
internal enum RegistryAction
{
    /// <summary>Reading: GET and HEAD.</summary>
    Pull,

    /// <summary>Writing: uploads and manifest PUT.</summary>
    Push,

    /// <summary>DELETE of a manifest, tag or blob.</summary>
    Delete,
}
