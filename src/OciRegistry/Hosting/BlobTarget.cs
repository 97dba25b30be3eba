using System.Management.Automation;
using OciRegistry.Core.Models;
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

    /// <summary>
    /// As <see cref="Resolve"/>, with the error record to write about <paramref name="reference"/> when it fails,
    /// or when <paramref name="mediaType"/> (a piped descriptor's) says the digest is a manifest or an index: the
    /// registry keeps those apart from blobs (docker-registry answers 404), so it is refused before any request.
    /// </summary>
    public static bool TryResolve(string reference, string? digest, out Reference repository, out Digest parsed, out ErrorRecord? error, string? mediaType = null)
    {
        try
        {
            (repository, parsed) = Resolve(reference, digest);
            if (MediaTypes.IsManifest(mediaType) || MediaTypes.IsIndex(mediaType))
            {
                var what = MediaTypes.IsIndex(mediaType) ? "an index" : "a manifest";
                var named = $"{repository.Registry}/{repository.Repository}@{parsed}";
                error = new ErrorRecord(
                    new System.ArgumentException($"{parsed} is {what} ({mediaType}), not a blob: read it with Get-OciManifest {named}, or save the image with Save-OciImage."),
                    ErrorIds.ManifestIsNotABlob,
                    ErrorCategory.InvalidArgument,
                    reference) { ErrorDetails = new ErrorDetails($"{parsed} is {what}, not a blob: read it with Get-OciManifest.") { RecommendedAction = $"Get-OciManifest {named} | Save-OciBlob, or Save-OciImage {named}" } };
                return false;
            }

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
