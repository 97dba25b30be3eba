using OciRegistry.Core.References;

namespace OciRegistry.Core.Push;

/// <summary>What <see cref="BlobUploader.UploadAsync"/> did for one blob.</summary>
/// <param name="Digest">The blob, as the registry verified it.</param>
/// <param name="Outcome">Skipped, mounted or uploaded.</param>
/// <param name="BytesUploaded">
/// Bytes put on the wire in request bodies, failed attempts included: the blob's size for a clean upload, more when
/// a chunk was sent again after a failure, 0 when skipped or mounted.
/// </param>
/// <param name="Resumes">How many times the upload resumed from the offset the registry reported.</param>
public sealed record BlobUploadResult(Digest Digest, BlobUploadOutcome Outcome, long BytesUploaded, int Resumes);
