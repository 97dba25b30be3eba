using System.Management.Automation;
using OciRegistry.Core.References;

namespace OciRegistry.Hosting;

/// <summary>
/// Which blob a blob cmdlet (Get-OciBlob, Save-OciBlob) was asked for: the repository of a reference
/// (<c>registry/repository</c>, with or without a tag or digest) and the blob's digest, given apart (<c>-Digest</c>,
/// a descriptor's Digest) or as the reference's own <c>@digest</c>. Checked before any request is made.
/// </summary>
internal static class BlobTarget
{
    /// <summary>The repository and digest named by <paramref name="reference"/> and <paramref name="digest"/>.</summary>
    /// <exception cref="InvalidReferenceException">Either does not parse, or no digest is given at all.</exception>
    public static (Reference Repository, Digest Digest) Resolve(string reference, string? digest)
    {
        var repository = Reference.ParseRepository(reference);
        var text = string.IsNullOrEmpty(digest) ? repository.Digest?.ToString() : digest;
        if (text is null)
        {
            throw new InvalidReferenceException(reference, "name the blob with -Digest or as repository@digest");
        }

        return Digest.TryParse(text, out var parsed, out var problem)
            ? (repository, parsed)
            : throw new InvalidReferenceException(text, problem);
    }

    /// <summary>As <see cref="Resolve"/>, with the error record to write about <paramref name="reference"/> when it fails.</summary>
    public static bool TryResolve(string reference, string? digest, out Reference repository, out Digest parsed, out ErrorRecord? error)
    {
        try
        {
            (repository, parsed) = Resolve(reference, digest);
            error = null;
            return true;
        }
        catch (InvalidReferenceException e)
        {
            (repository, parsed) = (null!, null!);
            error = ErrorMapping.ToErrorRecord(e, reference, ErrorSubject.Blob);
            return false;
        }
    }
}
