namespace OciRegistry.TestRegistry;

/// <summary>
/// The error codes the test registry puts in its <c>{"errors":[…]}</c> bodies.
/// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes; the last five are the
/// reference registry's own (distribution/distribution <c>registry/api/v2/errors.go</c>, <c>errcode</c>).
/// </summary>
internal static class RegistryErrorCode
{
    public const string BlobUnknown = "BLOB_UNKNOWN";
    public const string BlobUploadInvalid = "BLOB_UPLOAD_INVALID";
    public const string BlobUploadUnknown = "BLOB_UPLOAD_UNKNOWN";
    public const string ManifestBlobUnknown = "MANIFEST_BLOB_UNKNOWN";
    public const string SizeInvalid = "SIZE_INVALID";
    public const string DigestInvalid = "DIGEST_INVALID";
    public const string ManifestInvalid = "MANIFEST_INVALID";
    public const string ManifestUnknown = "MANIFEST_UNKNOWN";
    public const string NameInvalid = "NAME_INVALID";
    public const string NameUnknown = "NAME_UNKNOWN";
    public const string Unsupported = "UNSUPPORTED";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Denied = "DENIED";
    public const string TooManyRequests = "TOOMANYREQUESTS";
    public const string PaginationNumberInvalid = "PAGINATION_NUMBER_INVALID";
    public const string RangeInvalid = "RANGE_INVALID";
    public const string NotFound = "NOT_FOUND";
    public const string Unknown = "UNKNOWN";
    public const string Unavailable = "UNAVAILABLE";
}
