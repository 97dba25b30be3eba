# Get-OciRepository, Get-OciBlob and Get-OciReferrer against the reference registry (Debian's docker-registry 2.8:
# a catalog, no referrers API), seeded with skopeo from the test registry's sample content.
BeforeDiscovery {
    $script:missing = @('docker-registry', 'skopeo') | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) }
    if ($missing) { Write-Warning "Pull surface interop tests skipped: $($missing -join ', ') not installed (apt-get install -y docker-registry skopeo)." }
}

Describe 'The pull surface against docker-registry' -Tag Interop -Skip:($missing.Count -gt 0) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest

        $script:source = Start-OciTestRegistry -SampleContent
        $script:reference = Start-DockerRegistry
        $src = "$($source.Host)/samples/hello"
        $script:dst = $reference.Host
        # --preserve-digests: the readme's subject names the source's image digest, which a rewritten copy would not have.
        $copy = @('copy', '--quiet', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false')
        Invoke-Skopeo @copy --all "docker://${src}:1.0" "docker://$dst/oci/hello:1.0"
        Invoke-Skopeo @copy "docker://${src}:docker" "docker://$dst/docker/hello:v2"

        # The referrers tag schema, as a client without the referrers API publishes it: an index tagged
        # sha256-<hex of the subject>, listing the readme artifact. Built in the test registry, copied with skopeo.
        $script:readme = Get-OciManifest "${src}:readme"
        $script:subject = $readme.Subject.Digest
        $script:schemaTag = $subject -replace ':', '-'
        $index = [ordered]@{
            schemaVersion = 2
            mediaType     = 'application/vnd.oci.image.index.v1+json'
            manifests     = @([ordered]@{ mediaType = $readme.MediaType; digest = $readme.Digest; size = $readme.Size; artifactType = $readme.ArtifactType })
        } | ConvertTo-Json -Depth 5 -Compress
        $null = $source.AddManifest('samples/hello', [Text.Encoding]::UTF8.GetBytes($index), 'application/vnd.oci.image.index.v1+json', $schemaTag)
        # Pushed by hand: skopeo 1.9 rewrites an index it copies and drops the descriptors' artifactType.
        Invoke-Skopeo @copy "docker://${src}@$($readme.Digest)" "docker://$dst/oci/hello:readme"
        $null = Invoke-WebRequest -Method Put -Uri "http://$dst/v2/oci/hello/manifests/$schemaTag" -Body ([Text.Encoding]::UTF8.GetBytes($index)) `
            -ContentType 'application/vnd.oci.image.index.v1+json'
    }

    AfterAll {
        if ($reference) { $reference.Stop() }
        $source | Stop-OciTestRegistry
    }

    Context 'Get-OciRepository' {
        It 'lists what the catalog holds' {
            $catalog = (Invoke-RestMethod "http://$dst/v2/_catalog").repositories
            (Get-OciRepository $dst).Repository | Should -Be @($catalog)
            (Get-OciRepository $dst).Repository | Should -Be @('docker/hello', 'oci/hello')
        }

        It 'follows the registry''s pages with -PageSize 1' {
            (Get-OciRepository $dst -PageSize 1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '_catalog.* -> 200' }).Count |
                Should -BeGreaterOrEqual 2
            (Get-OciRepository $dst -PageSize 1).Repository | Should -Be @('docker/hello', 'oci/hello')
        }

        It 'pipes into Get-OciTag' {
            (Get-OciRepository $dst | Get-OciTag).Reference | Should -Contain "$dst/docker/hello:v2"
        }
    }

    Context 'Get-OciBlob' {
        It 'reads the config skopeo reports: <Reference>' -ForEach @(
            @{ Reference = 'docker/hello:v2'; Platform = $null }
            @{ Reference = 'oci/hello:1.0'; Platform = 'linux/arm64' }
        ) {
            $parameters = @{}
            if ($Platform) { $parameters.Platform = $Platform }
            $config = Get-OciManifest "$dst/$Reference" @parameters | Get-OciBlob -Config | ConvertFrom-Json
            $skopeoArgs = @('inspect', '--config', '--tls-verify=false')
            if ($Platform) { $skopeoArgs += @('--override-os', 'linux', '--override-arch', 'arm64') }
            $expected = Invoke-Skopeo @skopeoArgs "docker://$dst/$Reference" | Out-String | ConvertFrom-Json
            $config.architecture | Should -Be $expected.architecture
            $config.os | Should -Be $expected.os
            $config.rootfs.diff_ids | Should -Be $expected.rootfs.diff_ids
        }

        It 'reads the readme artifact''s payload' {
            Get-OciReferrer "$dst/oci/hello@$subject" | Get-OciManifest | Get-OciBlob -Layer 0 | Should -Match '^# samples/hello'
        }
    }

    Context 'Get-OciReferrer on a registry without the referrers API' {
        It 'finds the readme through the referrers tag schema' {
            $lines = Get-OciReferrer "$dst/oci/hello@$subject" -Verbose 4>&1
            $referrers = @($lines | Where-Object { $_ -is [OciRegistry.Output.OciDescriptor] })
            $referrers.Digest | Should -Be @($readme.Digest)
            $referrers[0].ArtifactType | Should -Be 'application/vnd.ociregistry.sample.readme'
            $referrers[0].Reference | Should -Be "$dst/oci/hello@$($readme.Digest)"
            (($lines | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") |
                Should -Match "referrers/$([regex]::Escape($subject)) -> 404"
        }

        It 'resolves the platform image from the index and filters by artifact type' {
            $image = Get-OciManifest "$dst/oci/hello:1.0" -Platform linux/amd64
            @($image | Get-OciReferrer -ArtifactType 'application/vnd.ociregistry.sample.readme').Count | Should -Be 1
            @($image | Get-OciReferrer -ArtifactType 'application/spdx+json').Count | Should -Be 0
        }

        It 'finds nothing for an image without a referrers tag' {
            @(Get-OciReferrer "$dst/docker/hello:v2").Count | Should -Be 0
        }
    }
}
