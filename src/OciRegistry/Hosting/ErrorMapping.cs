using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using OciRegistry.Commands;
using OciRegistry.Core;
using OciRegistry.Core.Extraction;
using OciRegistry.Core.Layout;
using OciRegistry.Core.Client;
using OciRegistry.Core.Copy;
using OciRegistry.Core.LocalFiles;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Core.Tls;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Hosting;

/// <summary>
/// The one place Core exceptions become ErrorRecords, with ids from <see cref="ErrorIds"/>, and the one place that
/// says which switch or command helps (Core's messages say what is wrong, never which parameter to pass).
/// </summary>
public static class ErrorMapping
{
    /// <summary>Maps <paramref name="exception"/>; <paramref name="subject"/> names what was wanted.</summary>
    public static ErrorRecord ToErrorRecord(Exception exception, object? target, ErrorSubject subject)
    {
        if (exception is null)
        {
            throw new ArgumentNullException(nameof(exception));
        }

        var (id, category, action) = Classify(exception, subject);

        // Core's messages are built redacted. .NET's are not: it writes a proxy's address with the user:password of
        // HTTPS_PROXY into them, at any depth of the chain, so the record holds a redacted stand-in for the whole chain.
        var shown = RedactedException.For(exception) ?? exception;

        var record = new ErrorRecord(shown, id, category, target);

        // The handler's own words ("Connection refused (host:443)") often say the inner cause already: add it only when not.
        var message = exception is HttpRequestException && exception.InnerException is { } inner &&
            exception.Message.IndexOf(inner.Message, StringComparison.Ordinal) < 0
            ? $"{exception.Message} ({inner.Message})"
            : exception.Message;
        if (exception is not OciException)
        {
            message = TextRedactor.Redact(message)!;
        }
        if (ProxyFailure.ProxyOf(exception) is { } proxy)
        {
            // A dead or refusing proxy otherwise reads as the registry's fault.
            message = $"{message}, through the proxy {proxy}";
            action = "The request went through the proxy " + proxy + " (HTTPS_PROXY, HTTP_PROXY or ALL_PROXY, or the system's proxy settings): check that it runs, or list the registry in NO_PROXY to connect directly.";
        }

        record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = action };
        return record;
    }

    private static (string Id, ErrorCategory Category, string Action) Classify(Exception exception, ErrorSubject subject) => exception switch
    {
        InvalidReferenceException i when i.Input.Contains("://") => (ErrorIds.InvalidReference, ErrorCategory.InvalidArgument,
            "Leave out the scheme, as in ghcr.io/org/tool:1.4; for a registry on plain HTTP, pass -AllowInsecure."),
        InvalidPlatformException => (ErrorIds.InvalidPlatform, ErrorCategory.InvalidArgument,
            "Write the platform as os/architecture[/variant], e.g. linux/amd64; Get-OciManifest without -Platform lists an index's platforms."),
        InvalidReferenceException => (ErrorIds.InvalidReference, ErrorCategory.InvalidArgument,
            "Write the reference as [registry[:port]/]repository[:tag][@digest], e.g. ghcr.io/org/tool:1.4."),
        System.Text.RegularExpressions.RegexMatchTimeoutException => (ErrorIds.InvalidTagPattern, ErrorCategory.InvalidArgument,
            "The -Match pattern took longer than a second on one tag; write it without nested repetition, or filter with -Include."),
        RegistryCertificateException { Problem: CertificateProblem.Untrusted } => (ErrorIds.RegistryCertificateUntrusted, ErrorCategory.SecurityError,
            "Trust the registry's certificate authority with -CertificateAuthority <ca.crt>, or put it in certs.d/<host:port>/ca.crt (see about_OciRegistry). -SkipCertificateCheck turns all checks off and is for throwaway test registries only."),
        RegistryCertificateException { Problem: CertificateProblem.NameMismatch } => (ErrorIds.RegistryCertificateNameMismatch, ErrorCategory.SecurityError,
            "Use a host name the certificate names (see the message), or have the certificate reissued with this one in its subject alternative names."),
        RegistryCertificateException { Problem: CertificateProblem.Expired } => (ErrorIds.RegistryCertificateExpired, ErrorCategory.SecurityError,
            "The registry's certificate (or one in its chain) is outside its dates: have it renewed, and check this machine's clock."),
        RegistryCertificateException { Problem: CertificateProblem.ClientCertificateRequired } => (ErrorIds.RegistryClientCertificateRequired, ErrorCategory.SecurityError,
            "Pass a client certificate with -Certificate or -CertificatePath, or put client.cert and client.key in certs.d/<host:port>/ (see about_OciRegistry)."),
        RegistryCertificateException { Problem: CertificateProblem.ClientCertificateRefused } => (ErrorIds.RegistryClientCertificateRefused, ErrorCategory.SecurityError,
            "Use a client certificate issued by a certificate authority the registry trusts, valid now and meant for client authentication."),
        RegistryCertificateException => (ErrorIds.RegistryCertificateInvalid, ErrorCategory.SecurityError,
            "The registry's certificate cannot be used (see the message); ask the registry's owner."),
        CertificateFileException => (ErrorIds.CertificateFileInvalid, ErrorCategory.InvalidArgument,
            "Check the path, that the file holds a PEM or DER certificate (or a PFX with its key and the right -CertificatePassword)."),
        CloudTokenRefusedException => (ErrorIds.CloudTokenRefused, ErrorCategory.AuthenticationError,
            "Get a fresh token for this registry's resource (Get-AzAccessToken -ResourceUrl https://containerregistry.azure.net) in the tenant that holds it; tokens expire after about an hour."),
        NotARegistryException => (ErrorIds.NotARegistry, ErrorCategory.InvalidResult,
            "Check the registry's host name and port: the address reaches a web server (or a login or proxy page) that is not an OCI registry."),
        RegistryChallengeException => (ErrorIds.RegistryChallengeInvalid, ErrorCategory.InvalidData,
            "The registry's authentication challenge is malformed; no credential gets past it. Report it to the registry's owner."),
        TokenResponseInvalidException => (ErrorIds.TokenResponseInvalid, ErrorCategory.InvalidData,
            "The token service did not answer with a token; a proxy or login page may be in the way. Check the registry address and any proxy settings."),
        RegistryAuthenticationException { CredentialsRefused: true } => (ErrorIds.RegistryAuthenticationFailed, ErrorCategory.AuthenticationError,
            "Check the user name and password (or token) given with -Credential or stored by 'docker login' for this registry; they were sent and refused."),
        RegistryAuthenticationException => (ErrorIds.RegistryAuthenticationFailed, ErrorCategory.AuthenticationError,
            "Pass -Credential, or run 'docker login <registry>' so that the Docker config holds credentials."),
        RegistryResponseException r when subject == ErrorSubject.ManifestDeletion && (r.StatusCode == 405 || r.Errors.Any(e => e.Code == "UNSUPPORTED")) => (ErrorIds.ManifestDeleteRefused, ErrorCategory.NotImplemented,
            "This registry does not delete manifests (docker-registry needs storage.delete.enabled; others have a setting, a retention policy or a web console for it). Nothing was removed."),
        RegistryResponseException { StatusCode: 403 } when subject == ErrorSubject.ManifestDeletion => (ErrorIds.RegistryAccessDenied, ErrorCategory.PermissionDenied,
            "Use credentials that may delete from this repository."),
        RegistryResponseException { StatusCode: 403 } => (ErrorIds.RegistryAccessDenied, ErrorCategory.PermissionDenied,
            "Use credentials that may pull from this repository."),
        RegistryResponseException r when r.IsNotFound => (NotFoundId(r, subject), ErrorCategory.ObjectNotFound,
            "Check the registry, repository, tag or digest; Get-OciTag lists a repository's tags."),
        RegistryResponseException { StatusCode: 429 } => (ErrorIds.RegistryUnavailable, ErrorCategory.ResourceUnavailable,
            "The registry limits how often it may be asked: wait as long as the message says, or sign in (-Credential or docker login), which raises Docker Hub's limit. Get-OciRateLimit shows what is left."),
        RegistryResponseException { IsTransient: true } => (ErrorIds.RegistryUnavailable, ErrorCategory.ResourceUnavailable,
            "The registry is busy or failing; try again later."),
        RegistryResponseException => (ErrorIds.RegistryRequestFailed, ErrorCategory.InvalidOperation,
            "See the registry's message above."),
        TagConflictException => (ErrorIds.DestinationTagConflict, ErrorCategory.ResourceExists,
            "The destination tag names another image; pass -Force to move it, or copy to another tag."),
        UnsafeEntryException => (ErrorIds.UnsafeLayerEntry, ErrorCategory.SecurityError,
            "The image holds an entry that would land outside the destination or pass through a link; nothing of the image was kept. Pass -SkipUnsafeEntries to skip such entries with a warning."),
        LayerFormatException or Core.Archive.TarFormatException => (ErrorIds.LayerFormatInvalid, ErrorCategory.InvalidData,
            "The layer is not an archive this module reads (tar, tar+gzip or tar+zstd without sparse files); nothing of the image was kept."),
        LayerLimitException { Raisable: true } => (ErrorIds.LayerLimitExceeded, ErrorCategory.LimitsExceeded,
            "The layers expand to more than -MaximumSize allows (a decompression bomb looks like this); raise -MaximumSize if the image is really that large."),
        LayerLimitException => (ErrorIds.LayerLimitExceeded, ErrorCategory.LimitsExceeded,
            "The image holds more entries than any real image does; nothing of it was kept."),
        UnsupportedLayerException => (ErrorIds.UnsupportedLayerMediaType, ErrorCategory.InvalidType,
            "Only tar layers (plain, gzip or zstd) are filesystems; read other blobs with Save-OciBlob."),
        DestinationNotEmptyException => (ErrorIds.DestinationNotEmpty, ErrorCategory.ResourceExists,
            "Choose an empty or new folder, or pass -Force to merge into it (replacing what the image also has)."),
        ImageFileNotFoundException => (ErrorIds.ImageFileNotFound, ErrorCategory.ObjectNotFound,
            "Get-OciLayerItem -Flatten lists the image's files; pass -Recurse for a folder."),
        LayerSelectionException => (ErrorIds.LayerSelectionInvalid, ErrorCategory.InvalidArgument,
            "Get-OciManifest shows the image's layers; -Layer takes a position (0 is the base, -1 the top) or a digest."),
        OciLayoutException => (ErrorIds.LayoutInvalid, ErrorCategory.InvalidData,
            "Give the folder Save-OciImage (or skopeo copy oci:) wrote, holding oci-layout, index.json and blobs."),
        ContentVerificationException c => (ErrorIds.DigestMismatch(c.Kind), ErrorCategory.InvalidResult,
            "The registry sent content that does not match its digest; nothing was kept. Try again, or report it to the registry's owner."),
        FileWriteException => (ErrorIds.FileWriteFailed, ErrorCategory.WriteError,
            "Check the free space, the permissions and the path of the destination; a partial file is kept to resume from."),
        FileLinkRefusedException => (ErrorIds.FileLinkRefused, ErrorCategory.SecurityError,
            "A link (or a file with other hard links) is where a file should be; remove it if you did not put it there. Files are never read or written through links."),
        FileNotRegularException => (ErrorIds.FileNotRegular, ErrorCategory.SecurityError,
            "A FIFO, device, socket or folder is where a file should be; remove or rename it."),
        FileReplacedException => (ErrorIds.FileReplaced, ErrorCategory.InvalidResult,
            "Another download or process changed the file while it was saved; run one save per destination at a time, then try again."),
        UnauthorizedAccessException => (ErrorIds.FileAccessDenied, ErrorCategory.PermissionDenied,
            "Check the permissions of the path named in the message."),
        TargetExistsException => (ErrorIds.BlobTargetExists, ErrorCategory.ResourceExists,
            "Pass -Force to replace the file, or choose another destination."),
        ContentTooLargeException c => (ErrorIds.TooLarge(c.Kind), ErrorCategory.LimitsExceeded,
            "The content is larger than this module reads into memory."),
        ManifestFormatException { IsUnsupportedMediaType: true } => (ErrorIds.UnsupportedMediaType, ErrorCategory.InvalidData,
            "Only OCI and Docker schema 2 manifests and indexes are supported."),
        ManifestFormatException => (ErrorIds.ManifestInvalid, ErrorCategory.InvalidData,
            "The registry sent a malformed manifest."),
        ImageConfigFormatException => (ErrorIds.ImageConfigInvalid, ErrorCategory.InvalidData,
            "The registry sent a malformed image config; Get-OciBlob -Config shows it as text."),
        NotAnImageConfigException => (ErrorIds.NotAnImageConfig, ErrorCategory.InvalidType,
            "Only images have an image config; read an artifact's config with Get-OciBlob -Config, or its files with Save-OciBlob."),
        PlatformRequiredException p => (ErrorIds.IndexNeedsPlatform, ErrorCategory.InvalidArgument,
            p.Available.Count == 0 ? "The index lists no platform to choose." : $"Choose one of its platforms with -Platform, e.g. -Platform {p.Available[0]}."),
        PlatformNotFoundException => (ErrorIds.PlatformNotFound, ErrorCategory.ObjectNotFound,
            "Pick one of the platforms the index lists (Get-OciManifest without -Platform shows them)."),
        IdleTimeoutException { WaitedForResponse: true } => (ErrorIds.RegistryTimeout, ErrorCategory.OperationTimeout,
            "The registry did not answer; check the address and the network, or allow longer with -ConnectionTimeoutSeconds."),
        IdleTimeoutException => (ErrorIds.RegistryTimeout, ErrorCategory.OperationTimeout,
            "The registry stopped sending; check the network and try again, or allow longer silences with -OperationTimeoutSeconds."),
        HttpRequestException h when RetryClassifier.IsNameResolutionFailure(h) => (ErrorIds.RegistryConnectionFailed, ErrorCategory.ConnectionError,
            "The registry's host name does not resolve: check its spelling, and the DNS and proxy settings."),
        HttpRequestException or IOException => (ErrorIds.RegistryConnectionFailed, ErrorCategory.ConnectionError,
            "Check the registry address, the network and any proxy settings."),
        ReferrersUnavailableException => (ErrorIds.ReferrersUnavailable, ErrorCategory.InvalidData,
            "The registry has no referrers API and its referrers tag does not name an index; ask the registry's owner, or list the artifacts by tag."),
        CatalogUnavailableException => (ErrorIds.CatalogUnavailable, ErrorCategory.NotImplemented,
            "This registry does not list its repositories; name the repository instead (Get-OciTag lists its tags)."),
        OciException => (ErrorIds.OciOperationFailed, ErrorCategory.InvalidOperation, "See the message above."),
        _ => (ErrorIds.UnexpectedError, ErrorCategory.NotSpecified, "This is a bug in OciRegistry; please report it with the -Verbose output."),
    };

    private static string NotFoundId(RegistryResponseException exception, ErrorSubject subject)
    {
        var codes = exception.Errors.Select(e => e.Code).ToList();
        if (codes.Contains("NAME_UNKNOWN"))
        {
            return ErrorIds.RepositoryNotFound;
        }

        if (codes.Contains("BLOB_UNKNOWN"))
        {
            return ErrorIds.BlobNotFound;
        }

        return codes.Contains("MANIFEST_UNKNOWN") ? ErrorIds.ManifestNotFound : ErrorIds.NotFound(subject);
    }
}
