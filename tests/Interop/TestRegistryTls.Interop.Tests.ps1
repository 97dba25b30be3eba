# skopeo (containers/image, Go's TLS stack) against Start-OciTestRegistry -Tls and -RequireClientCertificate: the
# registry's throwaway authority trusted through --cert-dir, and refused without it.
BeforeDiscovery {
    $script:missing = @('skopeo') | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) }
    if ($missing) { Write-Warning "Skipping the TLS test registry interop tests: $($missing -join ', ') not found (apt-get install -y skopeo)." }
}

Describe 'skopeo against the TLS test registry' -Tag Interop -Skip:($missing.Count -gt 0) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:tls = Start-OciTestRegistry -SampleContent -Tls
        $script:mtls = Start-OciTestRegistry -SampleContent -RequireClientCertificate
        $script:expected = (Get-OciManifest "$($tls.Host)/samples/hello:1.0" -CertificateAuthority $tls.CertificateAuthority).Digest

        # A --cert-dir with only the authority, as a test writes one from CertificateAuthorityPath.
        $script:caOnly = Join-Path $TestDrive 'ca-only'
        $null = New-Item -ItemType Directory $caOnly
        Copy-Item $tls.CertificateAuthorityPath (Join-Path $caOnly 'ca.crt')
        $script:mtlsCaOnly = Join-Path $TestDrive 'mtls-ca-only'
        $null = New-Item -ItemType Directory $mtlsCaOnly
        Copy-Item $mtls.CertificateAuthorityPath (Join-Path $mtlsCaOnly 'ca.crt')
        $script:empty = Join-Path $TestDrive 'empty'
        $null = New-Item -ItemType Directory $empty
        $script:skopeo = {
            $output = & skopeo @args 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
        }
    }

    AfterAll { $tls, $mtls | Where-Object { $_ } | Stop-OciTestRegistry }

    It 'inspects with --cert-dir holding ca.crt' {
        $result = & $skopeo inspect --tls-verify=true --cert-dir $caOnly "docker://$($tls.Host)/samples/hello:1.0"
        $result.Output | Should -Not -Match 'error'
        $result.ExitCode | Should -Be 0
        ($result.Output | ConvertFrom-Json).Name | Should -Be "$($tls.Host)/samples/hello"
    }

    It 'reads the same index bytes as Get-OciManifest' {
        $raw = Invoke-Skopeo inspect --raw --tls-verify=true --cert-dir $caOnly "docker://$($tls.Host)/samples/hello:1.0"
        $bytes = [System.Text.Encoding]::UTF8.GetBytes(($raw -join "`n"))
        Get-Sha256Digest -Bytes $bytes | Should -Be $expected
    }

    It 'fails without the authority, with verification on' {
        $result = & $skopeo inspect --tls-verify=true --cert-dir $empty "docker://$($tls.Host)/samples/hello:1.0"
        $result.ExitCode | Should -Not -Be 0
        $result.Output | Should -Match 'x509|certificate'
    }

    It 'copies an image out through the CDN redirect over TLS' {
        Add-OciTestRegistryFault $tls (New-OciTestRegistryFault Redirect -PathRegex '/blobs/' -Origin Registry)
        try {
            Invoke-Skopeo copy --quiet --src-tls-verify=true --src-cert-dir $caOnly "docker://$($tls.Host)/samples/hello:docker" "dir:$(Join-Path $TestDrive 'copied')"
            @(Get-OciTestRegistryRequest $tls | Where-Object { $_.Origin -eq 'Cdn' -and $_.StatusCode -eq 200 }).Count | Should -BeGreaterThan 0
        }
        finally { Clear-OciTestRegistryFault $tls }
    }

    It 'passes mutual TLS with the folder of CertificateAuthorityPath (ca.crt, client.cert, client.key)' {
        $folder = Split-Path $mtls.CertificateAuthorityPath
        $result = & $skopeo inspect --raw --tls-verify=true --cert-dir $folder "docker://$($mtls.Host)/samples/hello:1.0"
        $result.ExitCode | Should -Be 0 -Because $result.Output
    }

    It 'is refused by the registry without a client certificate' {
        $result = & $skopeo inspect --raw --tls-verify=true --cert-dir $mtlsCaOnly "docker://$($mtls.Host)/samples/hello:1.0"
        $result.ExitCode | Should -Not -Be 0
        $result.Output | Should -Match 'bad certificate'
    }
}
