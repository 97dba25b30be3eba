# Proxies with Debian's tinyproxy in front of docker-registry serving TLS: -Proxy (CONNECT, loopback included),
# HTTPS_PROXY for a registry on this machine's network address (a child pwsh, since .NET reads the variables once
# per process), -NoProxy, and a proxy that demands Basic credentials (-ProxyCredential), whose password appears in
# no stream. tinyproxy's log is the witness: it writes each CONNECT it serves.
BeforeDiscovery {
    $script:missing = @('docker-registry', 'skopeo', 'openssl', 'tinyproxy') | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) }
    $script:address = [System.Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces() |
        Where-Object { $_.OperationalStatus -eq 'Up' -and $_.NetworkInterfaceType -ne 'Loopback' } |
        ForEach-Object { $_.GetIPProperties().UnicastAddresses.Address } |
        Where-Object { $_.AddressFamily -eq 'InterNetwork' -and -not [System.Net.IPAddress]::IsLoopback($_) } |
        Select-Object -First 1
    if ($missing) { Write-Warning "Skipping the proxy interop tests: $($missing -join ', ') not found." }
    elseif (-not $address) { Write-Warning 'Skipping the proxy interop tests: this machine has no network address besides loopback.' }
}

Describe 'Proxies with tinyproxy' -Tag Interop -Skip:($missing.Count -gt 0 -or -not $address) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $ip = "$address"
        $script:certs = New-TestCertificates -Folder (Join-Path $TestDrive 'pki') -IpAddress $ip
        $script:registry = Start-DockerRegistry -TlsCertificate $certs.ServerCertificate -TlsKey $certs.ServerKey -ListenAddress '0.0.0.0'
        $script:source = Start-OciTestRegistry -SampleContent
        $certDir = Join-Path $TestDrive 'skopeo-certs'
        $null = New-Item -ItemType Directory $certDir
        Copy-Item $certs.Ca (Join-Path $certDir 'ca.crt')
        Invoke-Skopeo copy --quiet --src-tls-verify=false --dest-cert-dir $certDir "docker://$($source.Host)/samples/hello:docker" "docker://localhost:$($registry.Port)/proxied/hello:1.0"
        $script:expected = (Get-OciManifest "$($source.Host)/samples/hello:docker").Digest
        $script:local = "localhost:$($registry.Port)/proxied/hello:1.0"
        $script:remote = "${ip}:$($registry.Port)/proxied/hello:1.0"
        $script:proxy = Start-TinyProxy
        $script:secret = 'proxy-s3cret-value'
        $script:guarded = Start-TinyProxy -BasicAuth ([pscredential]::new('proxyuser', (ConvertTo-SecureString $secret -AsPlainText -Force)))
        $script:connects = { param($p, $target) @($p.Log() | Where-Object { $_ -match "Request \(file descriptor \d+\): CONNECT $([regex]::Escape($target)) " }).Count }

        # A child pwsh started with the proxy variables, as a CI agent behind a proxy runs its steps.
        $script:inChild = {
            param([string] $Command)
            $script = "`$ErrorActionPreference = 'Stop'; Import-Module '$($env:OCIREGISTRY_MODULE)'; $Command"
            $saved = @{}
            foreach ($name in 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
            try {
                [Environment]::SetEnvironmentVariable('HTTPS_PROXY', "$($proxy.Uri)")
                [Environment]::SetEnvironmentVariable('HTTP_PROXY', $null)
                [Environment]::SetEnvironmentVariable('NO_PROXY', $null)
                Invoke-ChildPwsh $script | ForEach-Object { "$_" }
            }
            finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
        }
    }

    AfterAll {
        foreach ($p in $proxy, $guarded) { if ($p) { $p.Stop() } }
        if ($registry) { $registry.Stop() }
        $source | Stop-OciTestRegistry
    }

    It 'goes through -Proxy with CONNECT, even to this machine, and -Verbose says so' {
        $before = & $connects $proxy "localhost:$($registry.Port)"
        $manifest = Get-OciManifest $local -CertificateAuthority $certs.Ca -Proxy $proxy.Uri -Verbose 4>&1 | Tee-Object -Variable stream | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $manifest.Digest | Should -Be $expected
        & $connects $proxy "localhost:$($registry.Port)" | Should -BeGreaterThan $before
        @($stream | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and "$_" -match "through the proxy $([regex]::Escape($proxy.Uri.ToString()))" }) | Should -Not -BeNullOrEmpty
    }

    It 'goes through HTTPS_PROXY for a registry elsewhere on the network' {
        $before = & $connects $proxy "$address`:$($registry.Port)"
        $digest = & $inChild "(Get-OciManifest '$remote' -CertificateAuthority '$($certs.Ca)').Digest.ToString()" | Select-Object -Last 1
        $digest | Should -Be $expected
        & $connects $proxy "$address`:$($registry.Port)" | Should -BeGreaterThan $before
    }

    It 'connects directly with -NoProxy, whatever HTTPS_PROXY says' {
        $before = & $connects $proxy "$address`:$($registry.Port)"
        $digest = & $inChild "(Get-OciManifest '$remote' -CertificateAuthority '$($certs.Ca)' -NoProxy).Digest.ToString()" | Select-Object -Last 1
        $digest | Should -Be $expected
        & $connects $proxy "$address`:$($registry.Port)" | Should -Be $before
    }

    It 'fails through a proxy that wants credentials without them, naming the proxy' {
        Get-OciManifest $local -CertificateAuthority $certs.Ca -Proxy $guarded.Uri -MaximumRetryCount 0 -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed | Should -Not -BeNullOrEmpty
        "$($failed[0].ErrorDetails.Message) $($failed[0].Exception.Message)" | Should -Match '407|proxy'
    }

    It 'goes through it with -ProxyCredential, and the password appears in no stream' {
        $credential = [pscredential]::new('proxyuser', (ConvertTo-SecureString $secret -AsPlainText -Force))
        $all = Get-OciManifest $local -CertificateAuthority $certs.Ca -Proxy $guarded.Uri -ProxyCredential $credential -Verbose -Debug *>&1
        ($all | Where-Object { $_ -is [OciRegistry.Output.OciManifest] }).Digest | Should -Be $expected
        ($all | Out-String -Width 400) | Should -Not -Match ([regex]::Escape($secret))
        & $connects $guarded "localhost:$($registry.Port)" | Should -BeGreaterThan 0
    }

    It 'takes user:password in -Proxy as credentials, and prints the address without them' {
        $uri = [uri]"http://proxyuser:$secret@127.0.0.1:$($guarded.Port)"
        $all = Get-OciManifest $local -CertificateAuthority $certs.Ca -Proxy $uri -Verbose *>&1
        ($all | Where-Object { $_ -is [OciRegistry.Output.OciManifest] }).Digest | Should -Be $expected
        ($all | Out-String -Width 400) | Should -Not -Match ([regex]::Escape($secret))
    }

    # What the module writes: its streams, the error's message, the record as PowerShell shows it, and what Get-Error
    # and the exception's ToString() print, which walk every inner exception (.NET's own words hold the password).
    It 'never shows the user:password of HTTPS_PROXY, even when the proxy refuses them' {
        $wrong = 'wr0ng-proxy-pass'
        $command = "Get-OciManifest '$remote' -CertificateAuthority '$($certs.Ca)' -MaximumRetryCount 0 -Verbose -ErrorAction SilentlyContinue -ErrorVariable failed *>&1 | Out-String -Width 400; `$failed | ForEach-Object { `$_.ErrorDetails.Message; `$_.Exception.Message; `$_ | Out-String -Width 400; `$_.Exception.ToString(); for (`$e = `$_.Exception; `$e; `$e = `$e.InnerException) { `$e.Message } }; `$failed | Get-Error | Out-String -Width 400"
        $saved = $env:HTTPS_PROXY
        try {
            $env:HTTPS_PROXY = "http://proxyuser:$wrong@127.0.0.1:$($guarded.Port)"
            $script = "`$ErrorActionPreference = 'Continue'; Import-Module '$($env:OCIREGISTRY_MODULE)'; $command"
            $text = (Invoke-ChildPwsh $script) -join "`n"
        }
        finally { $env:HTTPS_PROXY = $saved }
        $text | Should -Match '407|proxy'
        $text | Should -Not -Match ([regex]::Escape($wrong))
    }

    It 'refuses -Proxy with -NoProxy before any request' {
        { Get-OciManifest $local -Proxy $proxy.Uri -NoProxy -ErrorAction Stop } | Should -Throw -ErrorId 'ProxyAndNoProxy,OciRegistry.Commands.GetOciManifestCommand'
    }
}
