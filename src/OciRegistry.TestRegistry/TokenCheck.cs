namespace OciRegistry.TestRegistry;

/// <summary>What a bearer token on a registry request is worth.</summary>
internal enum TokenCheck
{
    /// <summary>No Authorization header.</summary>
    Missing,

    /// <summary>Not a bearer token, unknown, or expired.</summary>
    Invalid,

    /// <summary>A live token that does not grant pull on the repository.</summary>
    InsufficientScope,

    /// <summary>A live token good for the request.</summary>
    Valid,
}
