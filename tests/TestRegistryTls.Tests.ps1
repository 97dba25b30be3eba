# Start-OciTestRegistry -Tls and -RequireClientCertificate: HTTPS with the registry's own throwaway certificate
# authority, reached by the cmdlets on 127.0.0.1 over HTTPS without -Scheme (loopback is tried over TLS first).
Describe 'Start-OciTestRegistry -Tls' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:tls = Start-OciTestRegistry -SampleContent -Tls
        $script:plain = Start-OciTestRegistry -SampleContent
        $script:ref = "$($tls.Host)/samples/hello:1.0"
        $script:expected = (Get-OciManifest "$($plain.Host)/samples/hello:1.0").Digest
        $script:id = { param($name) "$name,OciRegistry.Commands.GetOciManifestCommand" }
        $script:saved = $env:OCIREGISTRY_CERTS_D
        # No machine's certs.d may help or hinder: only the folders a test names.
        $env:OCIREGISTRY_CERTS_D = Join-Path $TestDrive 'no-certs.d'
    }

    AfterAll {
        $env:OCIREGISTRY_CERTS_D = $saved
        $tls, $plain | Where-Object { $_ } | Stop-OciTestRegistry
    }

    It 'serves https, with Host still host:port, and returns its authority as a certificate and a PEM file' {
        $tls.Url.Scheme | Should -Be 'https'
        $tls.CdnUrl.Scheme | Should -Be 'https'
        $tls.Host | Should -Be "127.0.0.1:$($tls.Port)"
        $tls.CertificateAuthority | Should -BeOfType ([System.Security.Cryptography.X509Certificates.X509Certificate2])
        $tls.CertificateAuthority.HasPrivateKey | Should -BeFalse
        $tls.CertificateAuthorityPath | Should -Exist
        (Get-Content -Raw $tls.CertificateAuthorityPath) | Should -Match '^-----BEGIN CERTIFICATE-----'
        $tls.ClientCertificate.HasPrivateKey | Should -BeTrue
        $tls.ClientCertificate.Issuer | Should -Be $tls.CertificateAuthority.Subject
        $tls.RequiresClientCertificate | Should -BeFalse
    }

    It 'has no certificates and serves http without -Tls' {
        $plain.Url.Scheme | Should -Be 'http'
        $plain.CertificateAuthority | Should -BeNullOrEmpty
        $plain.CertificateAuthorityPath | Should -BeNullOrEmpty
        $plain.ClientCertificate | Should -BeNullOrEmpty
    }

    It 'fails with RegistryCertificateUntrusted without its authority' {
        { Get-OciManifest $ref -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'RegistryCertificateUntrusted')
    }

    It 'pulls with -CertificateAuthority as an X509Certificate2' {
        (Get-OciManifest $ref -CertificateAuthority $tls.CertificateAuthority).Digest | Should -Be $expected
    }

    It 'pulls with -CertificateAuthority as the PEM path' {
        (Get-OciManifest $ref -CertificateAuthority $tls.CertificateAuthorityPath).Digest | Should -Be $expected
    }

    It 'pulls through localhost too: the certificate names it' {
        (Get-OciManifest "localhost:$($tls.Port)/samples/hello:1.0" -CertificateAuthority $tls.CertificateAuthority).Digest | Should -Be $expected
    }

    It 'pulls with the authority in a certs.d folder named host:port (OCIREGISTRY_CERTS_D)' {
        $root = Join-Path $TestDrive 'certs.d'
        $folder = Join-Path $root $tls.Host
        $null = New-Item -ItemType Directory -Force $folder
        Copy-Item $tls.CertificateAuthorityPath (Join-Path $folder 'ca.crt')
        $env:OCIREGISTRY_CERTS_D = $root
        try { (Get-OciManifest $ref).Digest | Should -Be $expected }
        finally { $env:OCIREGISTRY_CERTS_D = Join-Path $TestDrive 'no-certs.d' }
    }

    It 'answers plain HTTP with a 400 that says it speaks HTTPS, at once' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Get-OciManifest $ref -Scheme Http -ErrorAction SilentlyContinue -ErrorVariable failed
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'RegistryRequestFailed')
        "$($failed[0])" | Should -Match 'HTTP 400.*speaks HTTPS'
    }

    It 'refuses the authority of another TLS registry' {
        $other = Start-OciTestRegistry -Tls
        try {
            { Get-OciManifest $ref -CertificateAuthority $other.CertificateAuthority -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'RegistryCertificateUntrusted')
        }
        finally { $other | Stop-OciTestRegistry }
    }

    It 'saves an image over TLS, blobs redirected to the CDN origin over TLS too' {
        $redirecting = Start-OciTestRegistry -SampleContent -Tls -Fault (New-OciTestRegistryFault Redirect -PathRegex '/blobs/' -Origin Registry)
        try {
            $layout = Join-Path $TestDrive 'tls-layout'
            $saved = Save-OciImage "$($redirecting.Host)/samples/hello:1.0" -Path $layout -Platform linux/amd64 -CertificateAuthority $redirecting.CertificateAuthority
            $saved | Should -Not -BeNullOrEmpty
            Join-Path $layout 'index.json' | Should -Exist
            $requests = Get-OciTestRegistryRequest $redirecting
            @($requests | Where-Object { $_.Origin -eq 'Registry' -and $_.StatusCode -eq 307 }).Count | Should -BeGreaterThan 0
            @($requests | Where-Object { $_.Origin -eq 'Cdn' -and $_.StatusCode -eq 200 -and $_.Path -match '/blobs/' }).Count | Should -BeGreaterThan 0
            $redirecting.CdnUrl.Scheme | Should -Be 'https'
        }
        finally { $redirecting | Stop-OciTestRegistry }
    }

    It 'speaks TLS to a TLS registry that now listens on the port of a plain one this session spoke to' {
        # Ports come back: a plain registry's port, once freed, may be the next TLS registry's. What the session
        # learnt about the old server must not send the new one plain HTTP.
        $before = Start-OciTestRegistry -SampleContent
        $port = $before.Port
        (Get-OciManifest "$($before.Host)/samples/hello:1.0").Digest | Should -Be $expected
        $before | Stop-OciTestRegistry
        $after = Start-OciTestRegistry -SampleContent -Tls -Port $port
        try {
            (Get-OciManifest "$($after.Host)/samples/hello:1.0" -CertificateAuthority $after.CertificateAuthority).Digest | Should -Be $expected
            { Get-OciManifest "$($after.Host)/samples/hello:1.0" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'RegistryCertificateUntrusted')
        }
        finally { $after | Stop-OciTestRegistry }
        $again = Start-OciTestRegistry -SampleContent -Port $port
        try { (Get-OciManifest "$($again.Host)/samples/hello:1.0").Digest | Should -Be $expected }
        finally { $again | Stop-OciTestRegistry }
    }

    It 'deletes its certificate folder on stop' {
        $short = Start-OciTestRegistry -Tls
        $folder = Split-Path $short.CertificateAuthorityPath
        $folder | Should -Exist
        $short | Stop-OciTestRegistry
        $folder | Should -Not -Exist
    }
}

Describe 'Start-OciTestRegistry -RequireClientCertificate' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:mtls = Start-OciTestRegistry -SampleContent -RequireClientCertificate
        $script:ref = "$($mtls.Host)/samples/hello:1.0"
        $script:id = { param($name) "$name,OciRegistry.Commands.GetOciManifestCommand" }
        $script:saved = $env:OCIREGISTRY_CERTS_D
        $env:OCIREGISTRY_CERTS_D = Join-Path $TestDrive 'no-certs.d'
    }

    AfterAll {
        $env:OCIREGISTRY_CERTS_D = $saved
        if ($mtls) { $mtls | Stop-OciTestRegistry }
    }

    It 'implies -Tls' {
        $mtls.Url.Scheme | Should -Be 'https'
        $mtls.RequiresClientCertificate | Should -BeTrue
    }

    It 'fails with RegistryClientCertificateRequired without a client certificate, at once' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        { Get-OciManifest $ref -CertificateAuthority $mtls.CertificateAuthority -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'RegistryClientCertificateRequired')
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
    }

    It 'pulls with -Certificate $registry.ClientCertificate' {
        (Get-OciManifest $ref -CertificateAuthority $mtls.CertificateAuthority -Certificate $mtls.ClientCertificate).Reference | Should -Not -BeNullOrEmpty
    }

    It 'pulls with -CertificatePath to the PFX, and to the PEM pair' {
        (Get-OciManifest $ref -CertificateAuthority $mtls.CertificateAuthorityPath -CertificatePath $mtls.ClientCertificatePath).Reference | Should -Not -BeNullOrEmpty
        (Get-OciManifest $ref -CertificateAuthority $mtls.CertificateAuthorityPath -CertificatePath $mtls.ClientCertificatePemPath, $mtls.ClientKeyPath).Reference | Should -Not -BeNullOrEmpty
    }

    It 'fails with RegistryClientCertificateRefused for the client certificate of another registry' {
        $other = Start-OciTestRegistry -Tls
        try {
            { Get-OciManifest $ref -CertificateAuthority $mtls.CertificateAuthority -Certificate $other.ClientCertificate -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'RegistryClientCertificateRefused')
        }
        finally { $other | Stop-OciTestRegistry }
    }
}
