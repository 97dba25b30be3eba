using System;
using System.Collections.ObjectModel;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OciRegistry.TestRegistry.Tls;

/// <summary>
/// <c>System.Security.Cryptography.X509Certificates.CertificateRequest</c>, reached by reflection. The type and
/// <c>RSACertificateExtensions.CopyWithPrivateKey</c> exist at run time on .NET Framework 4.7.2 (System.Core) and on
/// .NET Core 2.0 and later, which covers every PowerShell the module loads in, but not in the netstandard2.0
/// reference assemblies this project compiles against. Reflection keeps one assembly for every platform; the
/// alternative, targeting net472 and net8.0 as well, would ship two copies and make the build and the load context
/// pick one per edition. Only the five members below are used, each looked up once and checked when first needed.
/// </summary>
internal sealed class ReflectedCertificateRequest
{
    private const string TypeName = "System.Security.Cryptography.X509Certificates.CertificateRequest";

    private static readonly Lazy<Members> Api = new(Find);

    private readonly object _request;

    /// <summary>A request for <paramref name="subject"/> (an X.500 name, <c>CN=…</c>) signed with SHA-256 and PKCS #1 v1.5.</summary>
    /// <exception cref="PlatformNotSupportedException">This .NET has no CertificateRequest (before .NET Framework 4.7.2).</exception>
    public ReflectedCertificateRequest(string subject, RSA key)
    {
        _request = Invoke(() => Api.Value.Constructor.Invoke([subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1]));
        Extensions = (Collection<X509Extension>)Api.Value.Extensions.GetValue(_request)!;
    }

    /// <summary>The extensions the certificate will carry.</summary>
    public Collection<X509Extension> Extensions { get; }

    /// <summary>A self-signed certificate, with its private key.</summary>
    public X509Certificate2 CreateSelfSigned(DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        (X509Certificate2)Invoke(() => Api.Value.CreateSelfSigned.Invoke(_request, [notBefore, notAfter]));

    /// <summary>A certificate signed by <paramref name="issuer"/> (which must hold its private key), with <paramref name="key"/> attached.</summary>
    public X509Certificate2 Create(X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter, byte[] serialNumber, RSA key)
    {
        using var signed = (X509Certificate2)Invoke(() => Api.Value.Create.Invoke(_request, [issuer, notBefore, notAfter, serialNumber]));
        return (X509Certificate2)Invoke(() => Api.Value.CopyWithPrivateKey.Invoke(null, [signed, key]));
    }

    private static object Invoke(Func<object?> call)
    {
        try
        {
            return call() ?? throw new CryptographicException("CertificateRequest returned nothing");
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new CryptographicException("making a test certificate failed: " + e.InnerException.Message, e.InnerException);
        }
    }

    private static Members Find()
    {
        // RSACertificateExtensions lives next to CertificateRequest: System.Core on .NET Framework,
        // System.Security.Cryptography(.X509Certificates) on .NET.
        var type = typeof(RSACertificateExtensions).Assembly.GetType(TypeName)
            ?? Type.GetType(TypeName + ", System.Security.Cryptography.X509Certificates")
            ?? Type.GetType(TypeName + ", System.Core");
        const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance;
        var constructor = type?.GetConstructor([typeof(string), typeof(RSA), typeof(HashAlgorithmName), typeof(RSASignaturePadding)]);
        var extensions = type?.GetProperty("CertificateExtensions", Public);
        var selfSigned = type?.GetMethod("CreateSelfSigned", Public, null, [typeof(DateTimeOffset), typeof(DateTimeOffset)], null);
        var create = type?.GetMethod("Create", Public, null, [typeof(X509Certificate2), typeof(DateTimeOffset), typeof(DateTimeOffset), typeof(byte[])], null);
        var copy = typeof(RSACertificateExtensions).GetMethod("CopyWithPrivateKey", BindingFlags.Public | BindingFlags.Static, null, [typeof(X509Certificate2), typeof(RSA)], null);
        if (constructor is null || extensions is null || selfSigned is null || create is null || copy is null)
        {
            throw new PlatformNotSupportedException("a test registry with TLS makes its certificates with CertificateRequest, which needs .NET Framework 4.7.2 or later, or .NET Core 2.0 or later");
        }

        return new Members(constructor, extensions, selfSigned, create, copy);
    }

    private sealed record Members(ConstructorInfo Constructor, PropertyInfo Extensions, MethodInfo CreateSelfSigned, MethodInfo Create, MethodInfo CopyWithPrivateKey);
}
