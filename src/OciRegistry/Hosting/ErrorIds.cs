using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using OciRegistry.Core;

namespace OciRegistry.Hosting;

/// <summary>
/// Every ErrorId the module's cmdlets write, in one list: ErrorMapping and the cmdlets name ids only through these
/// constants, <c>about_OciRegistry</c> explains each one, and the help test checks that against <see cref="All"/>.
/// ErrorIds are public API (scripts match them with <c>Should -Throw -ErrorId</c> or <c>FullyQualifiedErrorId</c>):
/// never rename one silently.
/// </summary>
public static class ErrorIds
{
    // What the registry said or did.

    /// <summary>A reference, digest or platform that does not parse; no request was made.</summary>
    public const string InvalidReference = nameof(InvalidReference);

    /// <summary>The registry has no such manifest (MANIFEST_UNKNOWN, or a 404 for a manifest).</summary>
    public const string ManifestNotFound = nameof(ManifestNotFound);

    /// <summary>Remove-OciManifest: the registry refuses to delete manifests (405, or UNSUPPORTED).</summary>
    public const string ManifestDeleteRefused = nameof(ManifestDeleteRefused);

    /// <summary>The registry has no such repository (NAME_UNKNOWN, or a 404 while listing).</summary>
    public const string RepositoryNotFound = nameof(RepositoryNotFound);

    /// <summary>The registry has no such blob (BLOB_UNKNOWN, or a 404 for a blob).</summary>
    public const string BlobNotFound = nameof(BlobNotFound);

    /// <summary>A 404 for a request that was none of the above.</summary>
    public const string ContentNotFound = nameof(ContentNotFound);

    /// <summary>The index has no manifest for the platform asked for.</summary>
    public const string PlatformNotFound = nameof(PlatformNotFound);

    /// <summary>The registry wants credentials, or refused the ones given.</summary>
    public const string RegistryAuthenticationFailed = nameof(RegistryAuthenticationFailed);

    /// <summary>A 401 whose WWW-Authenticate header cannot be used (unparseable, or Bearer without a realm).</summary>
    public const string RegistryChallengeInvalid = nameof(RegistryChallengeInvalid);

    /// <summary>The token service answered, but not with a token.</summary>
    public const string TokenResponseInvalid = nameof(TokenResponseInvalid);

    /// <summary>HTTP 403.</summary>
    public const string RegistryAccessDenied = nameof(RegistryAccessDenied);

    /// <summary>429 or a 5xx still failing after the retries.</summary>
    public const string RegistryUnavailable = nameof(RegistryUnavailable);

    /// <summary>DNS, TCP or TLS failure after the retries.</summary>
    public const string RegistryConnectionFailed = nameof(RegistryConnectionFailed);

    /// <summary>The registry stopped answering, after the retries.</summary>
    public const string RegistryTimeout = nameof(RegistryTimeout);

    /// <summary>The registry's TLS certificate does not chain to a trusted certificate authority.</summary>
    public const string RegistryCertificateUntrusted = nameof(RegistryCertificateUntrusted);

    /// <summary>The registry's TLS certificate names other hosts.</summary>
    public const string RegistryCertificateNameMismatch = nameof(RegistryCertificateNameMismatch);

    /// <summary>The registry's TLS certificate, or one in its chain, is expired or not yet valid.</summary>
    public const string RegistryCertificateExpired = nameof(RegistryCertificateExpired);

    /// <summary>The registry's TLS certificate is missing, revoked, or not for a TLS server.</summary>
    public const string RegistryCertificateInvalid = nameof(RegistryCertificateInvalid);

    /// <summary>The registry wants a client certificate and none was offered.</summary>
    public const string RegistryClientCertificateRequired = nameof(RegistryClientCertificateRequired);

    /// <summary>The registry refused the client certificate offered.</summary>
    public const string RegistryClientCertificateRefused = nameof(RegistryClientCertificateRefused);

    /// <summary>New-OciCredential: a cloud token that is empty or not in the form its cloud hands out.</summary>
    public const string CloudTokenInvalid = nameof(CloudTokenInvalid);

    /// <summary>New-OciCredential: the registry refused the access token offered for exchange.</summary>
    public const string CloudTokenRefused = nameof(CloudTokenRefused);

    /// <summary>The registry configuration file cannot be read or written.</summary>
    public const string RegistryConfigInvalid = nameof(RegistryConfigInvalid);

    /// <summary>-Proxy with -NoProxy.</summary>
    public const string ProxyAndNoProxy = nameof(ProxyAndNoProxy);

    /// <summary>A -Proxy that is not an absolute http(s) address.</summary>
    public const string InvalidProxy = nameof(InvalidProxy);

    /// <summary>A -CertificateAuthority or -CertificatePath file that cannot be used.</summary>
    public const string CertificateFileInvalid = nameof(CertificateFileInvalid);

    /// <summary>The address answers with HTML, not with the registry API (a web site, a login or proxy page).</summary>
    public const string NotARegistry = nameof(NotARegistry);

    /// <summary>A -Platform that is not written os/architecture[/variant].</summary>
    public const string InvalidPlatform = nameof(InvalidPlatform);

    /// <summary>Any other HTTP error.</summary>
    public const string RegistryRequestFailed = nameof(RegistryRequestFailed);

    /// <summary>A manifest does not match its digest.</summary>
    public const string ManifestDigestMismatch = nameof(ManifestDigestMismatch);

    /// <summary>A blob does not match its digest or size.</summary>
    public const string BlobDigestMismatch = nameof(BlobDigestMismatch);

    /// <summary>A manifest over its cap.</summary>
    public const string ManifestTooLarge = nameof(ManifestTooLarge);

    /// <summary>A blob over the most a cmdlet reads into memory.</summary>
    public const string BlobTooLarge = nameof(BlobTooLarge);

    /// <summary>A tag list page over its cap.</summary>
    public const string TagListTooLarge = nameof(TagListTooLarge);

    /// <summary>A catalog page over its cap.</summary>
    public const string CatalogTooLarge = nameof(CatalogTooLarge);

    /// <summary>A referrers page over its cap.</summary>
    public const string ReferrersListTooLarge = nameof(ReferrersListTooLarge);

    /// <summary>A token service response over its cap.</summary>
    public const string TokenResponseTooLarge = nameof(TokenResponseTooLarge);

    /// <summary>The registry has no referrers API and its referrers tag names no index.</summary>
    public const string ReferrersUnavailable = nameof(ReferrersUnavailable);

    /// <summary>The registry does not list its repositories.</summary>
    public const string CatalogUnavailable = nameof(CatalogUnavailable);

    /// <summary>Docker schema 1 or an unknown media type.</summary>
    public const string UnsupportedMediaType = nameof(UnsupportedMediaType);

    /// <summary>A malformed manifest.</summary>
    public const string ManifestInvalid = nameof(ManifestInvalid);

    /// <summary>An image config that is not JSON or has a field of the wrong type.</summary>
    public const string ImageConfigInvalid = nameof(ImageConfigInvalid);

    /// <summary>Get-OciImageConfig, Compare-OciImage: an artifact, whose config is not an image config.</summary>
    public const string NotAnImageConfig = nameof(NotAnImageConfig);

    /// <summary>Any other failure the client reported.</summary>
    public const string OciOperationFailed = nameof(OciOperationFailed);

    /// <summary>A failure nobody foresaw: a bug.</summary>
    public const string UnexpectedError = nameof(UnexpectedError);

    // The local disk.

    /// <summary>A different file is at the target of a download.</summary>
    public const string BlobTargetExists = nameof(BlobTargetExists);

    /// <summary>The disk refused a download's bytes.</summary>
    public const string FileWriteFailed = nameof(FileWriteFailed);

    /// <summary>A folder or file may not be created or written.</summary>
    public const string FileAccessDenied = nameof(FileAccessDenied);

    /// <summary>A link is where a file should be.</summary>
    public const string FileLinkRefused = nameof(FileLinkRefused);

    /// <summary>A FIFO, device, socket or folder is where a regular file should be.</summary>
    public const string FileNotRegular = nameof(FileNotRegular);

    /// <summary>Someone replaced a download's file while it ran.</summary>
    public const string FileReplaced = nameof(FileReplaced);

    // The cmdlets' own parameters and input.

    /// <summary>Get-OciBlob: neither or both of -Config and -Layer.</summary>
    public const string BlobNotSpecified = nameof(BlobNotSpecified);

    /// <summary>Get-OciBlob: -Layer past the manifest's layers.</summary>
    public const string LayerNotFound = nameof(LayerNotFound);

    /// <summary>Get-OciBlob, Save-OciBlob: a manifest or index descriptor was given where a blob belongs.</summary>
    public const string ManifestIsNotABlob = nameof(ManifestIsNotABlob);

    /// <summary>Save-OciBlob: two different blobs, one file name.</summary>
    public const string TargetConflict = nameof(TargetConflict);

    /// <summary>Save-OciBlob: a title that is not a safe file name; Publish-OciArtifact: a file whose name would be such a title.</summary>
    public const string UnsafeTitle = nameof(UnsafeTitle);

    /// <summary>Publish-OciArtifact: two files whose names would be one title (also when they differ only in case or Unicode form).</summary>
    public const string DuplicateTitle = nameof(DuplicateTitle);

    /// <summary>Publish-OciArtifact: an -Annotation with an empty key.</summary>
    public const string InvalidAnnotation = nameof(InvalidAnnotation);

    /// <summary>Save-OciBlob: -Path with more than one blob.</summary>
    public const string PathNeedsOneBlob = nameof(PathNeedsOneBlob);

    /// <summary>Save-OciBlob: both -Path and -Destination.</summary>
    public const string PathAndDestination = nameof(PathAndDestination);

    /// <summary>Save-OciBlob: an index piped in; Get-OciImageConfig, Compare-OciImage: an index without -Platform.</summary>
    public const string IndexNeedsPlatform = nameof(IndexNeedsPlatform);

    /// <summary>Get-OciTag: an -Include, -Exclude or -Match pattern that does not parse; no request was made.</summary>
    public const string InvalidTagPattern = nameof(InvalidTagPattern);

    /// <summary>Copy-OciImage: a destination tag that names another manifest (without -Force); nothing was overwritten.</summary>
    public const string DestinationTagConflict = nameof(DestinationTagConflict);

    /// <summary>Get-OciLayerItem, Get-OciImageFile, Expand-OciImage: a layer entry that would be written outside the destination or through a link.</summary>
    public const string UnsafeLayerEntry = nameof(UnsafeLayerEntry);

    /// <summary>The same cmdlets: a layer that is not a valid tar (or gzip/zstd) archive, or holds sparse files.</summary>
    public const string LayerFormatInvalid = nameof(LayerFormatInvalid);

    /// <summary>The same cmdlets: the layers expand past -MaximumSize, or hold more entries than allowed.</summary>
    public const string LayerLimitExceeded = nameof(LayerLimitExceeded);

    /// <summary>The same cmdlets: an encrypted layer, or a layer media type that is not a tar.</summary>
    public const string UnsupportedLayerMediaType = nameof(UnsupportedLayerMediaType);

    /// <summary>Expand-OciImage: a destination that is not empty (without -Force); Get-OciImageFile: a file already there.</summary>
    public const string DestinationNotEmpty = nameof(DestinationNotEmpty);

    /// <summary>Get-OciImageFile: a path the image's filesystem does not hold as a file.</summary>
    public const string ImageFileNotFound = nameof(ImageFileNotFound);

    /// <summary>Get-OciLayerItem: a -Layer that names no layer, or more than one.</summary>
    public const string LayerSelectionInvalid = nameof(LayerSelectionInvalid);

    /// <summary>The same cmdlets: a -LayoutPath or -Cache folder that is not a readable OCI layout, or lacks the image.</summary>
    public const string LayoutInvalid = nameof(LayoutInvalid);

    /// <summary>Start-OciTestRegistry: a -Path layout that cannot be read.</summary>
    public const string LayoutUnreadable = nameof(LayoutUnreadable);

    /// <summary>Start-OciTestRegistry: a -Repository that is not a repository name.</summary>
    public const string InvalidRepositoryName = nameof(InvalidRepositoryName);

    /// <summary>Start-OciTestRegistry: -Repository with more than one -Path.</summary>
    public const string RepositoryNameAmbiguous = nameof(RepositoryNameAmbiguous);

    /// <summary>Start-OciTestRegistry: authentication without -Credential.</summary>
    public const string CredentialRequired = nameof(CredentialRequired);

    /// <summary>Start-OciTestRegistry: -TokenLifetime under a second.</summary>
    public const string InvalidTokenLifetime = nameof(InvalidTokenLifetime);

    /// <summary>Start-OciTestRegistry: -UploadIdleTimeout under a second.</summary>
    public const string InvalidUploadIdleTimeout = nameof(InvalidUploadIdleTimeout);

    /// <summary>Start-OciTestRegistry: a connection timeout under a second.</summary>
    public const string InvalidConnectionTimeout = nameof(InvalidConnectionTimeout);

    /// <summary>Start-OciTestRegistry: -RateLimitWindow under a second.</summary>
    public const string InvalidRateLimitWindow = nameof(InvalidRateLimitWindow);

    /// <summary>Start-OciTestRegistry: a request line limit over the head limit.</summary>
    public const string InvalidRequestLimits = nameof(InvalidRequestLimits);

    /// <summary>New-OciTestRegistryFault: a parameter the fault's kind does not use.</summary>
    public const string FaultParameterNotApplicable = nameof(FaultParameterNotApplicable);

    /// <summary>New-OciTestRegistryFault: a rule that does not validate.</summary>
    public const string InvalidFault = nameof(InvalidFault);

    /// <summary>Publish-OciTestArtifact, Publish-OciArtifact: -Path (or -ConfigPath) matched no file.</summary>
    public const string NoFilesToPublish = nameof(NoFilesToPublish);

    /// <summary>Publish-OciTestArtifact, Publish-OciArtifact: -Path outside the file system.</summary>
    public const string NotAFileSystemPath = nameof(NotAFileSystemPath);

    /// <summary>Publish-OciTestArtifact, Publish-OciArtifact: a -Subject that names no manifest (or, for Publish-OciArtifact, one in another repository).</summary>
    public const string SubjectNotFound = nameof(SubjectNotFound);

    /// <summary>Publish-OciTestArtifact: files, a repository or a tag it cannot publish.</summary>
    public const string ArtifactNotPublished = nameof(ArtifactNotPublished);

    private static readonly Lazy<string[]> AllIds = new(() =>
        [.. typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .OrderBy(id => id, StringComparer.Ordinal)]);

    /// <summary>Every ErrorId, sorted.</summary>
    public static IReadOnlyList<string> All => AllIds.Value;

    /// <summary>The id for a registry's "not found" when <paramref name="subject"/> was wanted and the registry named no code.</summary>
    internal static string NotFound(ErrorSubject subject) => subject switch
    {
        ErrorSubject.Manifest or ErrorSubject.ManifestDeletion => ManifestNotFound,
        ErrorSubject.Blob => BlobNotFound,
        ErrorSubject.Repository => RepositoryNotFound,
        _ => ContentNotFound,
    };

    /// <summary>The id for content that does not match its digest; only manifests and blobs are verified by one.</summary>
    internal static string DigestMismatch(ContentKind kind) => kind == ContentKind.Blob ? BlobDigestMismatch : ManifestDigestMismatch;

    /// <summary>The id for content over its cap.</summary>
    internal static string TooLarge(ContentKind kind) => kind switch
    {
        ContentKind.Manifest => ManifestTooLarge,
        ContentKind.Blob => BlobTooLarge,
        ContentKind.TagList => TagListTooLarge,
        ContentKind.Catalog => CatalogTooLarge,
        ContentKind.ReferrersList => ReferrersListTooLarge,
        ContentKind.TokenResponse => TokenResponseTooLarge,
        _ => OciOperationFailed,
    };
}

/// <summary>What a cmdlet wanted when a failure came: it picks the "not found" ErrorId when the registry names no code.</summary>
public enum ErrorSubject
{
    /// <summary>A manifest or index (Get-OciManifest, Save-OciImage, Get-OciReferrer's subject).</summary>
    Manifest,

    /// <summary>A manifest to delete (Remove-OciManifest): a 405 or UNSUPPORTED is the registry refusing deletes.</summary>
    ManifestDeletion,

    /// <summary>A blob (Get-OciBlob, Save-OciBlob).</summary>
    Blob,

    /// <summary>A repository or its tags (Get-OciTag, Get-OciRepository).</summary>
    Repository,

    /// <summary>Anything else.</summary>
    Content,
}
