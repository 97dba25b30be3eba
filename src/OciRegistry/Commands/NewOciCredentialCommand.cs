using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Hosting;

namespace OciRegistry.Commands;

/// <summary>
/// New-OciCredential: a credential for <c>-Credential</c> from a token a cloud's own PowerShell module hands out,
/// so that no <c>docker login</c> is needed: Azure (an Entra access token, exchanged at the registry), Amazon ECR
/// (an authorization token) and Google (an OAuth access token).
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/New-OciCredential.md</c>.</remarks>
[Cmdlet(VerbsCommon.New, "OciCredential", DefaultParameterSetName = Azure)]
[OutputType(typeof(PSCredential))]
public sealed class NewOciCredentialCommand : RegistryCmdlet
{
    private const string Azure = "Azure";
    private const string Ecr = "Ecr";
    private const string Google = "Google";

    /// <summary>
    /// An Entra access token for the registry: a string, a SecureString, or what Get-AzAccessToken returns (its
    /// Token binds by property name, so the object pipes in).
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = Azure)]
    [Alias("Token")]
    [ValidateNotNull]
    public object? AzureAccessToken { get; set; }

    /// <summary>The Azure Container Registry, e.g. <c>myregistry.azurecr.io</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = Azure)]
    [ValidateNotNullOrEmpty]
    public string Registry { get; set; } = string.Empty;

    /// <summary>The Entra tenant, for an account in several.</summary>
    [Parameter(ParameterSetName = Azure)]
    public string? Tenant { get; set; }

    /// <summary>The base64 authorization token of Get-ECRAuthorizationToken (or aws ecr get-authorization-token).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = Ecr)]
    [Alias("AuthorizationToken")]
    [ValidateNotNull]
    public object? AwsEcrAuthorizationToken { get; set; }

    /// <summary>A Google OAuth access token (gcloud auth print-access-token).</summary>
    [Parameter(Mandatory = true, ParameterSetName = Google)]
    [ValidateNotNull]
    public object? GoogleAccessToken { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (Credential is not null && Credential != PSCredential.Empty)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("New-OciCredential makes a credential; it takes none."), ErrorIds.CloudTokenInvalid, ErrorCategory.InvalidArgument, null));
        }

        try
        {
            switch (ParameterSetName)
            {
                case Ecr:
                    var (user, password) = CloudTokens.FromEcrAuthorizationToken(Text(AwsEcrAuthorizationToken!, "AuthorizationToken"));
                    WriteObject(new PSCredential(user, Secure(password)));
                    return;
                case Google:
                    WriteObject(new PSCredential(CloudTokens.GoogleUserName, Secure(Text(GoogleAccessToken!, "Token"))));
                    return;
            }
        }
        catch (ArgumentException e)
        {
            WriteError(new ErrorRecord(e, ErrorIds.CloudTokenInvalid, ErrorCategory.InvalidArgument, null) { ErrorDetails = new ErrorDetails(e.Message) });
            return;
        }

        string token;
        Reference registry;
        try
        {
            token = Text(AzureAccessToken!, "Token");
            registry = Core.References.Reference.ParseRepository(Registry.TrimEnd('/') + "/oauth2");
        }
        catch (Exception e) when (e is ArgumentException or InvalidReferenceException)
        {
            WriteError(new ErrorRecord(e, e is InvalidReferenceException ? ErrorIds.InvalidReference : ErrorIds.CloudTokenInvalid, ErrorCategory.InvalidArgument, Registry) { ErrorDetails = new ErrorDetails(e.Message) });
            return;
        }

        RunAsync(ct => ExchangeAsync(registry.Registry, token, ct));
    }

    private async Task ExchangeAsync(string registry, string token, CancellationToken cancellationToken)
    {
        try
        {
            var exchanged = await ClientFor(registry).ExchangeAzureAccessTokenAsync(token, Tenant, cancellationToken).ConfigureAwait(false);
            QueueVerbose($"{registry} exchanged the access token for a refresh token");
            QueueObject(new PSCredential(CloudTokens.IdentityTokenUserName, Secure(exchanged.IdentityToken!)));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            QueueFailure(e, Registry, ErrorSubject.Manifest);
        }
    }

    /// <summary>A token given as a string, a SecureString, or an object with it in <paramref name="property"/>.</summary>
    private static string Text(object value, string property)
    {
        var inner = value is PSObject wrapped ? wrapped.BaseObject : value;
        switch (inner)
        {
            case string text when text.Length > 0:
                return text.Trim();
            case SecureString secure:
                return new NetworkCredential(string.Empty, secure).Password;
        }

        if (PSObject.AsPSObject(value).Properties[property]?.Value is { } held && !ReferenceEquals(held, value))
        {
            return Text(held, property);
        }

        throw new ArgumentException($"The token is empty, or a {inner.GetType().Name} without a {property} property; pass the token itself, a SecureString, or the object the cloud's cmdlet returns.");
    }

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var ch in text)
        {
            secure.AppendChar(ch);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
