Describe 'Resolve-OciDigest' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:repo = "$($registry.Host)/samples/hello"
        $script:id = { param($name) "$name,OciRegistry.Commands.ResolveOciDigestCommand" }
        $script:sent = { @(Get-OciTestRegistryRequest $registry | ForEach-Object { "$($_.Method) $($_.Path) $($_.StatusCode)" }) }
        $script:complete = {
            param([string] $Line)
            @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
        }
        # What the digests are, worked out from the bytes rather than by the code under test.
        $script:index = Get-OciManifest "${repo}:1.0"
        $script:indexBytes = $index.GetRawContent()
        $script:indexJson = Get-OciManifest "${repo}:1.0" -Raw | ConvertFrom-Json
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    BeforeEach {
        Clear-OciTestRegistryFault $registry
        Clear-OciTestRegistryRequest $registry
    }

    Context 'by tag, with one HEAD' {
        It 'gives the digest, media type and size of the index, and the pinned reference' {
            $resolved = Resolve-OciDigest "${repo}:1.0"
            $resolved | Should -BeOfType ([OciRegistry.Output.OciResolvedDigest])
            $resolved.Digest | Should -Be (Get-Sha256Digest $indexBytes)
            $resolved.MediaType | Should -Be 'application/vnd.oci.image.index.v1+json'
            $resolved.Size | Should -Be $indexBytes.Length
            $resolved.Source | Should -Be "${repo}:1.0"
            $resolved.Tag | Should -Be '1.0'
            $resolved.Registry | Should -Be $registry.Host
            $resolved.Repository | Should -Be 'samples/hello'
            $resolved.PinnedReference | Should -Be "$repo@$($resolved.Digest)"
            $resolved.Reference | Should -Be $resolved.PinnedReference
            $resolved.Platform | Should -BeNullOrEmpty
            "$resolved" | Should -Be $resolved.PinnedReference
            & $sent | Should -Be @('HEAD /v2/samples/hello/manifests/1.0 200')
        }

        It 'fails with ManifestNotFound for a tag that does not exist, with one HEAD' {
            { Resolve-OciDigest "${repo}:nope" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'ManifestNotFound')
            & $sent | Should -Be @('HEAD /v2/samples/hello/manifests/nope 404')
        }

        It 'fails with ManifestNotFound for a repository that does not exist: a HEAD answer has no body to say which' {
            { Resolve-OciDigest "$($registry.Host)/no/such:1.0" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'ManifestNotFound')
            & $sent | Should -Be @('HEAD /v2/no/such/manifests/1.0 404')
        }

        It 'resolves a Docker manifest to its own media type' {
            $docker = Resolve-OciDigest "${repo}:docker"
            $docker.MediaType | Should -Be 'application/vnd.docker.distribution.manifest.v2+json'
            $docker.Digest | Should -Be (Get-Sha256Digest (Get-OciManifest "${repo}:docker").GetRawContent())
        }

        It 'resolves a digest to itself, after checking it exists' {
            $resolved = Resolve-OciDigest "$repo@$($index.Digest)"
            $resolved.Digest | Should -Be $index.Digest
            $resolved.Tag | Should -BeNullOrEmpty
            { Resolve-OciDigest "$repo@sha256:$('0' * 64)" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'ManifestNotFound')
        }
    }

    Context 'a registry that refuses HEAD' {
        It 'reads the manifest with GET and hashes its bytes' {
            New-OciTestRegistryFault Fail -StatusCode 405 -Method HEAD -Path '*/manifests/*' | Add-OciTestRegistryFault $registry
            $resolved = Resolve-OciDigest "${repo}:1.0"
            $resolved.Digest | Should -Be (Get-Sha256Digest $indexBytes)
            $resolved.Size | Should -Be $indexBytes.Length
            & $sent | Should -Be @('HEAD /v2/samples/hello/manifests/1.0 405', 'GET /v2/samples/hello/manifests/1.0 200')
        }
    }

    Context 'a flaky registry' {
        It 'resolves through -Unreliable: a 503 per path, redirects to the CDN, anonymous bearer tokens' {
            $flaky = Start-OciTestRegistry -SampleContent -Unreliable
            try {
                $resolved = Resolve-OciDigest "$($flaky.Host)/samples/hello:1.0" -RetryIntervalSec 0
                $resolved.Digest | Should -Be $index.Digest
                $resolved.Size | Should -Be $indexBytes.Length
                $heads = @(Get-OciTestRegistryRequest $flaky | Where-Object Path -Like '*/manifests/*')
                $heads.Method | Sort-Object -Unique | Should -Be 'HEAD'
                $heads.Origin | Should -Contain 'Cdn'
                (Test-OciManifest "$($flaky.Host)/samples/hello:nope" -RetryIntervalSec 0) | Should -BeExactly $false
            }
            finally { $flaky | Stop-OciTestRegistry }
        }
    }

    Context '-Platform' {
        It 'reads the index once and gives the entry''s digest as the index lists it: <Platform>' -ForEach @(
            @{ Platform = 'linux/amd64'; Listed = 'linux/amd64' }
            @{ Platform = 'linux/arm64'; Listed = 'linux/arm64/v8' }
        ) {
            $resolved = Resolve-OciDigest "${repo}:1.0" -Platform $Platform
            $entry = $indexJson.manifests | Where-Object { "$($_.platform.os)/$($_.platform.architecture)$(if ($_.platform.PSObject.Properties['variant']) { '/' + $_.platform.variant })" -eq $Listed }
            $resolved.Digest | Should -Be $entry.digest
            $resolved.Size | Should -Be $entry.size
            $resolved.MediaType | Should -Be $entry.mediaType
            "$($resolved.Platform)" | Should -Be $Listed
            $resolved.PinnedReference | Should -Be "$repo@$($entry.digest)"
            & $sent | Should -Be @('GET /v2/samples/hello/manifests/1.0 200') -Because 'the chosen manifest is not fetched'
        }

        It 'fails with PlatformNotFound for a platform the index lacks' {
            { Resolve-OciDigest "${repo}:1.0" -Platform windows/amd64 -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'PlatformNotFound')
        }

        It 'checks a single image against its config and gives its own digest' {
            $amd64 = Get-OciManifest "${repo}:1.0" -Platform linux/amd64
            (Resolve-OciDigest "$repo@$($amd64.Digest)" -Platform linux/amd64).Digest | Should -Be $amd64.Digest
            { Resolve-OciDigest "$repo@$($amd64.Digest)" -Platform linux/arm64 -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'PlatformNotFound')
        }

        It 'refuses a malformed platform before any request' {
            { Resolve-OciDigest "${repo}:1.0" -Platform amd64 -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidPlatform')
            & $sent | Should -BeNullOrEmpty
        }
    }

    Context 'the pipeline' {
        It 'resolves every tag Get-OciTag emits, with one HEAD each' {
            $tags = @(Get-OciTag $repo)
            Clear-OciTestRegistryRequest $registry
            $resolved = @($tags | Resolve-OciDigest)
            $resolved.Tag | Should -Be $tags.Tag
            ($resolved | Where-Object Tag -EQ 'latest').Digest | Should -Be $index.Digest
            @(& $sent | Where-Object { $_ -notlike 'HEAD *' }) | Should -BeNullOrEmpty
            (& $sent).Count | Should -Be $tags.Count
        }

        It 'takes strings by value' {
            @("${repo}:1.0", "${repo}:docker" | Resolve-OciDigest).Count | Should -Be 2
        }

        It 'pipes on pinned: the next cmdlet gets registry/repository@digest' {
            $result = Resolve-OciDigest "${repo}:latest" | Get-OciManifest
            $result.Digest | Should -Be $index.Digest
            Get-OciTestRegistryRequest $registry -Method GET | Select-Object -Last 1 -ExpandProperty Path |
                Should -Be "/v2/samples/hello/manifests/$($index.Digest)"
        }

        It 'fails with RegistryAuthenticationFailed without the credentials a registry wants' {
            $cred = [pscredential]::new('ci', (ConvertTo-SecureString 'pw' -AsPlainText -Force))
            $locked = Start-OciTestRegistry -SampleContent -Credential $cred
            try {
                { Resolve-OciDigest "$($locked.Host)/samples/hello:1.0" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'RegistryAuthenticationFailed')
                (Resolve-OciDigest "$($locked.Host)/samples/hello:1.0" -Credential $cred).Digest | Should -Be $index.Digest
            }
            finally { $locked | Stop-OciTestRegistry }
        }
    }

    Context 'the default view' {
        It 'fits 80 columns and shows the shortened digest' {
            $text = "${repo}:1.0", "${repo}:docker" | Resolve-OciDigest | Out-String -Width 80
            $text -split '\r?\n' | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
            $text | Should -Match 'Tag +Digest +MediaType +Size +Platform'
            $text | Should -Match ([regex]::Escape($index.Digest.Substring(0, 19)))
        }

        It 'renders without script errors under the strictest mode, with and without a platform' {
            $results = @((Resolve-OciDigest "${repo}:1.0"), (Resolve-OciDigest "${repo}:1.0" -Platform linux/arm64))
            Set-StrictMode -Version Latest
            try { $results | Format-Table -DisplayError | Out-String -Width 120 | Should -Not -Match '#ERR' }
            finally { Set-StrictMode -Off }
        }
    }

    Context 'Tab completion' {
        It 'completes -Platform from the index the reference names' {
            & $complete "Resolve-OciDigest ${repo}:1.0 -Platform linux/arm" | Should -Be @('linux/arm64/v8')
        }
    }
}
