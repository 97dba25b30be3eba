Describe 'Pulling through mirrors' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot 'FakeHttpServer.psm1') -Force
        Import-OciRegistryUnderTest
        $script:savedConfig = $env:OCIREGISTRY_CONFIG
        $script:savedDaemon = $env:OCIREGISTRY_DOCKER_DAEMON_JSON
        $script:savedContainers = $env:CONTAINERS_REGISTRIES_CONF
        $env:OCIREGISTRY_CONFIG = Join-Path $TestDrive 'registries.json'
        $env:OCIREGISTRY_DOCKER_DAEMON_JSON = ''
        $env:CONTAINERS_REGISTRIES_CONF = ''

        # The upstream wants its account; the mirrors are open. The first mirror is gone, the second lacks a tag.
        $script:account = [pscredential]::new('upstream-user', (ConvertTo-SecureString 'upstream-pass' -AsPlainText -Force))
        $script:upstream = Start-OciTestRegistry -SampleContent -Credential $account
        $docker = $upstream.Requests.Count
        $bytes = [Text.Encoding]::UTF8.GetBytes((Get-OciManifest "$($upstream.Host)/samples/hello:docker" -Credential $account -Raw))
        $null = $upstream.AddManifest('samples/hello', $bytes, 'application/vnd.docker.distribution.manifest.v2+json', 'upstream-only')
        $gone = Start-OciTestRegistry
        $script:goneHost = $gone.Host
        $gone | Stop-OciTestRegistry
        $script:mirror = Start-OciTestRegistry -SampleContent
        Set-OciRegistryConfig -Registry $upstream.Host -Mirror $goneHost, $mirror.Host
        $script:ref = "$($upstream.Host)/samples/hello"
        $script:manifestPath = '/v2/samples/hello/manifests/*'
    }

    AfterAll {
        $env:OCIREGISTRY_CONFIG = $savedConfig
        $env:OCIREGISTRY_DOCKER_DAEMON_JSON = $savedDaemon
        $env:CONTAINERS_REGISTRIES_CONF = $savedContainers
        $upstream, $mirror | Stop-OciTestRegistry
    }

    BeforeEach { Clear-OciTestRegistryRequest $upstream, $mirror }

    It 'keeps the mirrors in the configuration, in order' {
        $config = Get-OciRegistryConfig $upstream.Host
        $config.Mirrors | Should -Be @($goneHost, $mirror.Host)
        $config.Source | Should -Be $env:OCIREGISTRY_CONFIG
    }

    It 'passes over the stopped mirror and serves from the second, which is asked without the upstream''s credentials' {
        $manifest = Get-OciManifest "${ref}:1.0" -Platform linux/amd64 -Credential $account
        $manifest.ServedBy | Should -Be $mirror.Host
        @(Get-OciTestRegistryRequest $mirror -Path $manifestPath).Count | Should -BeGreaterThan 0
        @(Get-OciTestRegistryRequest $mirror | Where-Object HasAuthorization) | Should -BeNullOrEmpty
        @(Get-OciTestRegistryRequest $upstream -Path $manifestPath) | Should -BeNullOrEmpty
    }

    It 'falls through to the upstream for a tag the mirror lacks, and only the upstream gets Authorization' {
        $manifest = Get-OciManifest "${ref}:upstream-only" -Credential $account
        $manifest.ServedBy | Should -Be $upstream.Host
        (Get-OciTestRegistryRequest $mirror -Path '/v2/samples/hello/manifests/upstream-only').StatusCode | Should -Be 404
        $served = @(Get-OciTestRegistryRequest $upstream -Path '/v2/samples/hello/manifests/upstream-only' | Where-Object StatusCode -EQ 200)
        $served | Should -HaveCount 1
        $served[0].HasAuthorization | Should -BeTrue
        @(Get-OciTestRegistryRequest $mirror | Where-Object HasAuthorization) | Should -BeNullOrEmpty
    }

    It 'asks the endpoints in order: the mirror before the upstream, as the logs'' times show' {
        $null = Get-OciManifest "${ref}:upstream-only" -Credential $account
        $atMirror = (Get-OciTestRegistryRequest $mirror -Path '/v2/samples/hello/manifests/upstream-only')[0].Time
        $atUpstream = (Get-OciTestRegistryRequest $upstream -Path '/v2/samples/hello/manifests/upstream-only')[-1].Time
        $atMirror | Should -BeLessThan $atUpstream
    }

    It 'saves blobs from the mirror, verified, without asking the upstream for them' {
        $manifest = Get-OciManifest "${ref}:1.0" -Platform linux/arm64 -Credential $account
        $files = $manifest | Save-OciBlob -Destination (Join-Path $TestDrive 'blobs') -Credential $account
        @($files).Count | Should -Be (1 + $manifest.Layers.Count)
        @(Get-OciTestRegistryRequest $upstream -Path '/v2/samples/hello/blobs/*') | Should -BeNullOrEmpty
        @(Get-OciTestRegistryRequest $mirror -Path '/v2/samples/hello/blobs/*' -Method GET).Count | Should -BeGreaterOrEqual 2
    }

    It 'says in -Verbose which endpoint served and why one was passed over' {
        $lines = Get-OciManifest "${ref}:upstream-only" -Credential $account -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $lines | Should -Contain ($lines | Where-Object { $_ -match "the mirror $([regex]::Escape($goneHost)) failed" } | Select-Object -First 1)
        @($lines | Where-Object { $_ -match "the mirror $([regex]::Escape($mirror.Host)) answered 404" }) | Should -Not -BeNullOrEmpty
    }

    It 'checks digest-pinned content whatever answered: a mirror that lies is an error, not a silent success' {
        $real = Get-OciManifest "${ref}:docker" -Credential $account
        $liar = Start-FakeHttpServer -Routes @{
            '/v2/' = @{ Body = '{}' }
            "/v2/samples/hello/manifests/$($real.Digest)" = @{ Body = '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"x","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":1},"layers":[]}'; ContentType = 'application/vnd.docker.distribution.manifest.v2+json' }
        }
        try {
            Set-OciRegistryConfig -Registry $upstream.Host -Mirror $liar.Host
            { Get-OciManifest "$ref@$($real.Digest)" -Credential $account -ErrorAction Stop } | Should -Throw -ErrorId 'ManifestDigestMismatch,OciRegistry.Commands.GetOciManifestCommand'
        }
        finally {
            Set-OciRegistryConfig -Registry $upstream.Host -Mirror $goneHost, $mirror.Host
            $liar.Stop()
        }
    }

    It 'reads docker.io''s mirrors from Docker''s daemon.json' {
        $daemon = Join-Path $TestDrive 'daemon.json'
        Set-Content $daemon '{ "registry-mirrors": ["https://mirror.gcr.io"] }'
        $env:OCIREGISTRY_DOCKER_DAEMON_JSON = $daemon
        try {
            $docker = Get-OciRegistryConfig docker.io
            $docker.Mirrors | Should -Be @('https://mirror.gcr.io')
            $docker.Source | Should -Be $daemon
        }
        finally { $env:OCIREGISTRY_DOCKER_DAEMON_JSON = '' }
    }

    It 'takes mirrors from containers'' registries.conf when the configuration names none' {
        $conf = Join-Path $TestDrive 'containers-registries.conf'
        Set-Content $conf @"
unqualified-search-registries = ["docker.io"]   # not ours

[[registry]]
location = "$($upstream.Host)"

[[registry.mirror]]
location = "$goneHost"    # down
[[registry.mirror]]
location = "$($mirror.Host)"

[aliases]
"hello" = "docker.io/library/hello-world"
"@
        $env:CONTAINERS_REGISTRIES_CONF = $conf
        $env:OCIREGISTRY_CONFIG = Join-Path $TestDrive 'empty-config.json'
        try {
            (Get-OciRegistryConfig $upstream.Host).Mirrors | Should -Be @($goneHost, $mirror.Host)
            (Get-OciManifest "${ref}:1.0" -Credential $account).ServedBy | Should -Be $mirror.Host
        }
        finally {
            $env:CONTAINERS_REGISTRIES_CONF = ''
            $env:OCIREGISTRY_CONFIG = Join-Path $TestDrive 'registries.json'
        }
    }

    It 'asks a mirror with a namespace for the repository under it' {
        $hub = Start-OciTestRegistry
        try {
            $image = Get-OciManifest "${ref}:docker" -Credential $account
            foreach ($blob in @($image.Config) + @($image.Layers)) {
                $null = $hub.AddBlob('hub/samples/hello', ($blob | Get-OciBlob -Credential $account -AsByteArray))
            }
            $null = $hub.AddManifest('hub/samples/hello', $image.GetRawContent(), $image.MediaType, 'docker')
            Set-OciRegistryConfig -Registry $upstream.Host -Mirror "$($hub.Host)/hub"
            $manifest = Get-OciManifest "${ref}:docker" -Credential $account
            $manifest.ServedBy | Should -Be $hub.Host
            $manifest.Digest | Should -Be $image.Digest
            @(Get-OciTestRegistryRequest $hub -Path '/v2/hub/samples/hello/manifests/docker').Count | Should -Be 1
        }
        finally {
            Set-OciRegistryConfig -Registry $upstream.Host -Mirror $goneHost, $mirror.Host
            $hub | Stop-OciTestRegistry
        }
    }

    It 'warns when the configuration takes TLS away from a registry' {
        Set-OciRegistryConfig -Registry $mirror.Host -Insecure
        try {
            $null = Get-OciManifest "$($mirror.Host)/samples/hello:1.0" -WarningVariable warned 3>$null
            "$warned" | Should -Match 'plain HTTP.*marks it insecure'
        }
        finally { Set-OciRegistryConfig -Registry $mirror.Host -Remove }
    }

    It 'refuses a mirror with credentials in it without echoing them, and skips such an entry in a hand-written file' {
        Set-OciRegistryConfig -Registry other.example -Mirror 'https://user:hunter2@mirror.example' -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed | Should -Not -BeNullOrEmpty
        "$($failed[0])" | Should -Not -Match 'hunter2'
        $hand = Join-Path $TestDrive 'hand.json'
        Set-Content $hand (@{ registries = @{ $upstream.Host = @{ mirrors = @('https://user:hunter2@127.0.0.1:9', $mirror.Host) } } } | ConvertTo-Json -Depth 5)
        $env:OCIREGISTRY_CONFIG = $hand
        try {
            $all = Get-OciManifest "${ref}:1.0" -Credential $account -Verbose *>&1
            ($all | Where-Object { $_ -is [OciRegistry.Output.OciIndex] }).ServedBy | Should -Be $mirror.Host
            ($all | Out-String -Width 400) | Should -Not -Match 'hunter2'
            @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] -and "$_" -match 'skipped' }) | Should -Not -BeNullOrEmpty
        }
        finally { $env:OCIREGISTRY_CONFIG = Join-Path $TestDrive 'registries.json' }
    }

    It 'removes an entry with -Remove, and -WhatIf writes nothing' {
        Set-OciRegistryConfig -Registry other.example -Mirror m.example -WhatIf
        Get-OciRegistryConfig other.example | Should -BeNullOrEmpty
        Set-OciRegistryConfig -Registry other.example -Mirror m.example
        (Get-OciRegistryConfig other.example).Mirrors | Should -Be @('m.example')
        Set-OciRegistryConfig -Registry other.example -Remove
        Get-OciRegistryConfig other.example | Should -BeNullOrEmpty
    }

    It 'warns about a configuration that is not JSON and pulls as if there were none' {
        $bad = Join-Path $TestDrive 'bad.json'
        Set-Content $bad '{ not json'
        $env:OCIREGISTRY_CONFIG = $bad
        try {
            $manifest = Get-OciManifest "${ref}:upstream-only" -Credential $account -WarningVariable warned 3>$null
            $manifest.ServedBy | Should -Be $upstream.Host
            "$warned" | Should -Match 'cannot be used'
        }
        finally { $env:OCIREGISTRY_CONFIG = Join-Path $TestDrive 'registries.json' }
    }
}
