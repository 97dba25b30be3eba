# TLS against the reference registry (Debian's docker-registry 2.8) with a certificate authority the test makes
# with openssl: trust through -CertificateAuthority and certs.d, the errors for an untrusted, misnamed or expired
# certificate, and client certificates for a registry that requires them (http.tls.clientcas). The registries
# listen on loopback, which the module tries over HTTPS first, so no -Scheme is needed.
BeforeDiscovery {
    $script:missing = @('docker-registry', 'skopeo', 'openssl') | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) }
    if ($missing) { Write-Warning "Skipping the TLS interop tests: $($missing -join ', ') not found." }
}

Describe 'TLS with docker-registry' -Tag Interop -Skip:($missing.Count -gt 0) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:certs = New-TestCertificates -Folder (Join-Path $TestDrive 'pki')
        $script:tls = Start-DockerRegistry -TlsCertificate $certs.ServerCertificate -TlsKey $certs.ServerKey
        $script:mtls = Start-DockerRegistry -TlsCertificate $certs.ServerCertificate -TlsKey $certs.ServerKey -ClientCa $certs.Ca
        $script:expired = Start-DockerRegistry -TlsCertificate $certs.ExpiredCertificate -TlsKey $certs.ExpiredKey
        $script:source = Start-OciTestRegistry -SampleContent

        # skopeo's --cert-dir: *.crt are authorities, client.cert with client.key the client certificate.
        $skopeoCerts = Join-Path $TestDrive 'skopeo-certs'
        $null = New-Item -ItemType Directory $skopeoCerts
        Copy-Item $certs.Ca (Join-Path $skopeoCerts 'ca.crt')
        Copy-Item $certs.ClientCertificate (Join-Path $skopeoCerts 'client.cert')
        Copy-Item $certs.ClientKey (Join-Path $skopeoCerts 'client.key')
        $script:tlsHost = "localhost:$($tls.Port)"
        $script:mtlsHost = "localhost:$($mtls.Port)"
        foreach ($target in $tlsHost, $mtlsHost) {
            Invoke-Skopeo copy --quiet --src-tls-verify=false --dest-cert-dir $skopeoCerts "docker://$($source.Host)/samples/hello:docker" "docker://$target/tls/hello:1.0"
        }
        $script:expected = (Get-OciManifest "$($source.Host)/samples/hello:docker").Digest
        $script:ref = "$tlsHost/tls/hello:1.0"
        $script:pfxPassword = ConvertTo-SecureString 'pfx-secret' -AsPlainText -Force
        $script:id = { param($name) "$name,OciRegistry.Commands.GetOciManifestCommand" }
        $script:saved = $env:OCIREGISTRY_CERTS_D
        # No machine's certs.d may help or hinder: only the folders a test names.
        $env:OCIREGISTRY_CERTS_D = Join-Path $TestDrive 'no-certs.d'
    }

    AfterAll {
        $env:OCIREGISTRY_CERTS_D = $saved
        foreach ($registry in $tls, $mtls, $expired) { if ($registry) { $registry.Stop() } }
        $source | Stop-OciTestRegistry
    }

    Context 'trust' {
        It 'fails at once with RegistryCertificateUntrusted without the authority, naming the certificate, and does not retry' {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            Get-OciManifest $ref -Verbose -ErrorAction SilentlyContinue -ErrorVariable failed 4>&1 | Set-Variable verbose
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 3
            $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'RegistryCertificateUntrusted')
            $failed[0].ErrorDetails.Message | Should -Match "CN=localhost' issued by 'CN=OciRegistry test ca'"
            $failed[0].ErrorDetails.RecommendedAction | Should -Match '^Trust .*-CertificateAuthority.*certs\.d.*-SkipCertificateCheck'
            @($verbose | Where-Object { "$_" -match 'retry' }) | Should -BeNullOrEmpty
        }

        It 'pulls with -CertificateAuthority as a file' {
            (Get-OciManifest $ref -CertificateAuthority $certs.Ca).Digest | Should -Be $expected
        }

        It 'pulls with -CertificateAuthority as an X509Certificate2' {
            $ca = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($certs.Ca)
            (Get-OciManifest $ref -CertificateAuthority $ca).Digest | Should -Be $expected
        }

        It 'pulls with the authority in a certs.d folder for host:port' {
            $root = Join-Path $TestDrive 'certs.d'
            $null = New-Item -ItemType Directory -Force (Join-Path $root $tlsHost)
            Copy-Item $certs.Ca (Join-Path $root "$tlsHost/ca.crt")
            $env:OCIREGISTRY_CERTS_D = $root
            try { (Get-OciManifest $ref).Digest | Should -Be $expected }
            finally { $env:OCIREGISTRY_CERTS_D = Join-Path $TestDrive 'no-certs.d' }
        }

        It 'refuses a certificate from another authority, even with one given' {
            { Get-OciManifest $ref -CertificateAuthority $certs.OtherCa -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'RegistryCertificateUntrusted')
        }

        It 'says RegistryCertificateNameMismatch for a host the certificate does not name, whatever the authority' {
            Get-OciManifest "127.0.0.1:$($tls.Port)/tls/hello:1.0" -Scheme Https -CertificateAuthority $certs.Ca -ErrorAction SilentlyContinue -ErrorVariable failed
            $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'RegistryCertificateNameMismatch')
            $failed[0].ErrorDetails.Message | Should -Match 'localhost.*not for 127\.0\.0\.1'
        }

        It 'says RegistryCertificateExpired for an expired certificate from a trusted authority' {
            Get-OciManifest "localhost:$($expired.Port)/tls/hello:1.0" -CertificateAuthority $certs.Ca -ErrorAction SilentlyContinue -ErrorVariable failed
            $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'RegistryCertificateExpired')
        }

        It 'never falls back to plain HTTP after a certificate failure' {
            Get-OciTag "$tlsHost/tls/hello" -ErrorAction SilentlyContinue -ErrorVariable failed
            $failed[0].FullyQualifiedErrorId | Should -Be 'RegistryCertificateUntrusted,OciRegistry.Commands.GetOciTagCommand'
        }

        It 'still accepts anything with -SkipCertificateCheck' {
            (Get-OciManifest $ref -SkipCertificateCheck).Digest | Should -Be $expected
        }

        It 'says CertificateFileInvalid for a file that is not a certificate, before any request' {
            $bogus = Join-Path $TestDrive 'bogus.crt'
            Set-Content $bogus 'not a certificate'
            { Get-OciManifest $ref -CertificateAuthority $bogus -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'CertificateFileInvalid')
        }
    }

    Context 'client certificates' {
        BeforeAll { $script:mref = "$mtlsHost/tls/hello:1.0" }

        It 'says RegistryClientCertificateRequired without one, at once' {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            Get-OciManifest $mref -CertificateAuthority $certs.Ca -ErrorAction SilentlyContinue -ErrorVariable failed
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 3
            $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'RegistryClientCertificateRequired')
            $failed[0].ErrorDetails.RecommendedAction | Should -Match '-Certificate'
        }

        It 'pulls with -CertificatePath to a PFX and its password' {
            (Get-OciManifest $mref -CertificateAuthority $certs.Ca -CertificatePath $certs.ClientPfx -CertificatePassword $pfxPassword).Digest | Should -Be $expected
        }

        It 'pulls with -CertificatePath to a PEM certificate and key' {
            (Get-OciManifest $mref -CertificateAuthority $certs.Ca -CertificatePath $certs.ClientCertificate, $certs.ClientKey).Digest | Should -Be $expected
        }

        It 'pulls with -Certificate as an X509Certificate2 with its key' {
            $client = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($certs.ClientPfx, $pfxPassword)
            (Get-OciManifest $mref -CertificateAuthority $certs.Ca -Certificate $client).Digest | Should -Be $expected
        }

        It 'pulls with client.cert and client.key in certs.d' {
            $root = Join-Path $TestDrive 'certs.d-client'
            $folder = Join-Path $root $mtlsHost
            $null = New-Item -ItemType Directory -Force $folder
            Copy-Item $certs.Ca (Join-Path $folder 'ca.crt')
            Copy-Item $certs.ClientCertificate (Join-Path $folder 'client.cert')
            Copy-Item $certs.ClientKey (Join-Path $folder 'client.key')
            $env:OCIREGISTRY_CERTS_D = $root
            try { (Get-OciManifest $mref).Digest | Should -Be $expected }
            finally { $env:OCIREGISTRY_CERTS_D = Join-Path $TestDrive 'no-certs.d' }
        }

        It 'says RegistryClientCertificateRefused for a certificate the registry does not trust' {
            Get-OciManifest $mref -CertificateAuthority $certs.Ca -CertificatePath $certs.ServerCertificate, $certs.ServerKey -ErrorAction SilentlyContinue -ErrorVariable failed
            $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'RegistryClientCertificateRefused')
        }

        It 'saves blobs over mutual TLS' {
            $manifest = Get-OciManifest $mref -CertificateAuthority $certs.Ca -CertificatePath $certs.ClientPfx -CertificatePassword $pfxPassword
            $files = $manifest | Save-OciBlob -Destination (Join-Path $TestDrive 'mtls-blobs') -CertificateAuthority $certs.Ca -CertificatePath $certs.ClientPfx -CertificatePassword $pfxPassword
            @($files).Count | Should -Be (1 + $manifest.Layers.Count)
        }
    }
}
