namespace OciRegistry.Core.Push;

/// <summary>How a blob came to be in the destination repository.</summary>
public enum BlobUploadOutcome
{
    /// <summary>The destination had it already (HEAD answered): nothing was sent.</summary>
    Skipped,

    /// <summary>The registry mounted it from another repository of its own: nothing was sent.</summary>
    Mounted,

    /// <summary>Its bytes were uploaded.</summary>
    Uploaded,
}
