# Copy-OciImage between test registries: digests unchanged, blobs skipped or mounted, tags guarded, faults survived,
# referrers carried. Interop with two docker-registry instances is in Interop/Copy.Interop.Tests.ps1.
Describe 'Copy-OciImage' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:id = { param($name) "$name,OciRegistry.Commands.CopyOciImageCommand" }
        $script:source = Start-OciTestRegistry -SampleContent
        $script:from = "$($source.Host)/samples/hello"
        $script:requests = { param($registry, [string] $Method, [string] $Like = '*') @(Get-OciTestRegistryRequest $registry | Where-Object { $_.Method -eq $Method -and $_.Path -like $Like }) }
    }

    AfterAll { Stop-OciTestRegistry }

    Context 'between two registries' {
        BeforeEach { $script:target = Start-OciTestRegistry }
        AfterEach { $target | Stop-OciTestRegistry }

        It 'copies an index with every platform, byte for byte, then skips what is there' {
            $result = Copy-OciImage "${from}:1.0" "$($target.Host)/mirror/hello:1.0"
            $result.Digest | Should -Be (Get-OciManifest "${from}:1.0").Digest
            $result.BlobsCopied | Should -BeGreaterThan 1
            $sourceRaw = Get-OciManifest "${from}:1.0" -Raw
            Get-OciManifest "$($target.Host)/mirror/hello:1.0" -Raw | Should -Be $sourceRaw
            foreach ($entry in (Get-OciManifest "${from}:1.0").Manifests) {
                Get-OciManifest "$($target.Host)/mirror/hello@$($entry.Digest)" -Raw | Should -Be (Get-OciManifest $entry.Reference -Raw)
            }

            Clear-OciTestRegistryRequest $target
            $again = Copy-OciImage "${from}:1.0" "$($target.Host)/mirror/hello:1.0"
            $again.BlobsCopied | Should -Be 0
            (& $requests $target 'PUT').Count | Should -Be 0 -Because 'everything is already there'
            (& $requests $target 'PATCH').Count | Should -Be 0
        }

        It 'copies a Docker manifest and a single platform, digests unchanged' {
            (Copy-OciImage "${from}:docker" "$($target.Host)/d/hello").Digest | Should -Be (Get-OciManifest "${from}:docker").Digest
            $arm = Get-OciManifest "${from}:1.0" -Platform linux/arm64
            $copy = Copy-OciImage "${from}:1.0" "$($target.Host)/d/hello:arm" -Platform linux/arm64
            $copy.Digest | Should -Be $arm.Digest
            (Get-OciManifest $copy.Reference).MediaType | Should -Be $arm.MediaType
        }

        It 'refuses to move a tag that names another image, naming both digests, unless -Force' {
            $null = Copy-OciImage "${from}:docker" "$($target.Host)/t/hello:x"
            Copy-OciImage "${from}:1.0" "$($target.Host)/t/hello:x" -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'DestinationTagConflict')
            "$($failed[0])" | Should -Match ([regex]::Escape((Get-OciManifest "${from}:docker").Digest))
            (Copy-OciImage "${from}:1.0" "$($target.Host)/t/hello:x" -Force).Digest | Should -Be (Get-OciManifest "${from}:1.0").Digest
        }

        It 'copies every tag with -AllTags, and writes nothing with -WhatIf' {
            Copy-OciImage $from "$($target.Host)/all/hello" -AllTags -WhatIf
            (& $requests $target 'PUT').Count | Should -Be 0
            $copies = Copy-OciImage $from "$($target.Host)/all/hello" -AllTags
            @($copies).Count | Should -Be @(Get-OciTag $from).Count
            (Get-OciTag "$($target.Host)/all/hello").Tag | Sort-Object | Should -Be ((Get-OciTag $from).Tag | Sort-Object)
        }

        It 'speaks to the source with -SourceCredential and to the destination with -Credential' {
            $sourceCred = [pscredential]::new('reader', (ConvertTo-SecureString 'read-secret' -AsPlainText -Force))
            $targetCred = [pscredential]::new('writer', (ConvertTo-SecureString 'write-secret' -AsPlainText -Force))
            $locked = Start-OciTestRegistry -SampleContent -Credential $sourceCred
            $guarded = Start-OciTestRegistry -Credential $targetCred
            try {
                $result = Copy-OciImage "$($locked.Host)/samples/hello:docker" "$($guarded.Host)/c/hello:docker" -SourceCredential $sourceCred -Credential $targetCred
                $result.Digest | Should -Be (Get-OciManifest "$($locked.Host)/samples/hello:docker" -Credential $sourceCred).Digest
                Copy-OciImage "$($locked.Host)/samples/hello:docker" "$($guarded.Host)/c/hello:x" -Credential $targetCred -ErrorVariable failed -ErrorAction SilentlyContinue
                $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'RegistryAuthenticationFailed') -Because 'the destination credentials are not the source''s'
            }
            finally {
                $locked, $guarded | Stop-OciTestRegistry
            }
        }

        It 'takes tags piped from Get-OciTag' {
            $copies = Get-OciTag $from | Copy-OciImage -Destination "$($target.Host)/piped/hello"
            @($copies).Count | Should -Be @(Get-OciTag $from).Count
        }

        It 'survives a 503 on an upload PUT and a 429 with Retry-After on the manifest PUT' {
            New-OciTestRegistryFault Fail -StatusCode 503 -Method PUT -Path '*/blobs/uploads/*' -Count 1 | Add-OciTestRegistryFault $target
            New-OciTestRegistryFault Fail -StatusCode 429 -RetryAfter 1 -Method PUT -Path '*/manifests/*' -Count 1 | Add-OciTestRegistryFault $target
            $result = Copy-OciImage "${from}:1.0" "$($target.Host)/faults/hello:1.0" -RetryIntervalSec 0.05
            $result.Digest | Should -Be (Get-OciManifest "${from}:1.0").Digest
            (& $requests $target 'PUT' '*/manifests/*' | Where-Object StatusCode -eq 429).Count | Should -Be 1
        }
    }

    Context 'within one registry' {
        It 'mounts blobs from the source repository instead of uploading them' {
            Clear-OciTestRegistryRequest $source
            $result = Copy-OciImage "${from}:docker" "$($source.Host)/mounted/hello:docker"
            $result.BlobsMounted | Should -BeGreaterThan 0
            $result.BlobsCopied | Should -Be 0
            (& $requests $source 'POST' '*/blobs/uploads/*' | Where-Object StatusCode -eq 201).Count | Should -Be $result.BlobsMounted
            (& $requests $source 'PATCH').Count | Should -Be 0
        }
    }

    Context 'with referrers' {
        It 'brings a signature and an SBOM along, through the referrers API and through its tag schema' {
            $origin = Start-OciTestRegistry
            $noApi = Start-OciTestRegistry -NoReferrersApi
            $last = Start-OciTestRegistry -NoReferrersApi
            try {
                $null = Copy-OciImage "${from}:docker" "$($origin.Host)/app/hello:1.0"
                $image = Get-OciManifest "$($origin.Host)/app/hello:1.0"
                Set-Content -LiteralPath (Join-Path $TestDrive 'sbom.spdx.json') '{"spdxVersion":"SPDX-2.3"}' -NoNewline
                Set-Content -LiteralPath (Join-Path $TestDrive 'image.sig') 'signature' -NoNewline
                $null = $origin | Publish-OciTestArtifact -Repository app/hello -Path (Join-Path $TestDrive 'sbom.spdx.json') -ArtifactType application/spdx+json -Subject $image
                $null = $origin | Publish-OciTestArtifact -Repository app/hello -Path (Join-Path $TestDrive 'image.sig') -ArtifactType application/vnd.dev.cosign.artifact.sig.v1+json -Subject $image
                $types = @('application/spdx+json', 'application/vnd.dev.cosign.artifact.sig.v1+json')

                # API to tag schema: the destination cannot index subjects, so the client writes sha256-<hex>.
                (Copy-OciImage "$($origin.Host)/app/hello:1.0" "$($noApi.Host)/app/hello:1.0" -IncludeReferrers).Referrers | Should -Be 2
                Get-OciTag "$($noApi.Host)/app/hello" | ForEach-Object Tag | Should -Contain ('sha256-' + $image.Digest.Substring(7))
                (Get-OciReferrer "$($noApi.Host)/app/hello@$($image.Digest)").ArtifactType | Sort-Object | Should -Be $types

                # Tag schema to tag schema, and only one artifact type.
                (Copy-OciImage "$($noApi.Host)/app/hello:1.0" "$($last.Host)/app/hello:1.0" -IncludeReferrers -ArtifactType application/spdx+json).Referrers | Should -Be 1
                (Get-OciReferrer "$($last.Host)/app/hello@$($image.Digest)").ArtifactType | Should -Be 'application/spdx+json'

                # API to API.
                $api = Start-OciTestRegistry
                (Copy-OciImage "$($origin.Host)/app/hello:1.0" "$($api.Host)/app/hello:1.0" -IncludeReferrers).Referrers | Should -Be 2
                (Get-OciReferrer "$($api.Host)/app/hello@$($image.Digest)").ArtifactType | Sort-Object | Should -Be $types
                $api | Stop-OciTestRegistry
            }
            finally {
                $origin, $noApi, $last | Stop-OciTestRegistry
            }
        }
    }

    Context 'across an air gap' {
        It 'saves an image with its referrers to a folder, and restores both to a fresh registry' {
            $origin = Start-OciTestRegistry
            $inside = Start-OciTestRegistry
            try {
                $null = Copy-OciImage "${from}:1.0" "$($origin.Host)/app/hello:1.0"
                $platform = Get-OciManifest "$($origin.Host)/app/hello:1.0" -Platform linux/amd64
                $index = Get-OciManifest "$($origin.Host)/app/hello:1.0"
                Set-Content -LiteralPath (Join-Path $TestDrive 'gap.spdx.json') '{"spdxVersion":"SPDX-2.3"}' -NoNewline
                Set-Content -LiteralPath (Join-Path $TestDrive 'gap.sig') 'signature' -NoNewline
                $null = $origin | Publish-OciTestArtifact -Repository app/hello -Path (Join-Path $TestDrive 'gap.spdx.json') -ArtifactType application/spdx+json -Subject $platform
                $null = $origin | Publish-OciTestArtifact -Repository app/hello -Path (Join-Path $TestDrive 'gap.sig') -ArtifactType application/vnd.dev.cosign.artifact.sig.v1+json -Subject $index

                $folder = Join-Path $TestDrive 'airgap'
                (Save-OciImage "$($origin.Host)/app/hello:1.0" $folder -IncludeReferrers).Referrers | Should -Be 2
                $restored = Copy-OciImage -SourceLayout $folder -Destination "$($inside.Host)/app/hello"
                $restored.Digest | Should -Be $index.Digest
                $restored.Referrers | Should -Be 2

                foreach ($subject in $index, $platform) {
                    $before = @(Get-OciReferrer "$($origin.Host)/app/hello@$($subject.Digest)" | ForEach-Object Digest | Sort-Object)
                    $after = @(Get-OciReferrer "$($inside.Host)/app/hello@$($subject.Digest)" | ForEach-Object Digest | Sort-Object)
                    $after | Should -Be $before
                }

                if (Get-Command skopeo -CommandType Application -ErrorAction Ignore) {
                    $out = Join-Path $TestDrive 'skopeo-dir'
                    Invoke-Skopeo copy --all "oci:${folder}:1.0" "dir:$out"
                    Test-Path (Join-Path $out 'manifest.json') | Should -BeTrue
                }
            }
            finally {
                $origin, $inside | Stop-OciTestRegistry
            }
        }
    }

    Context 'a large layer against a failing destination' {
        BeforeAll {
            Import-Module (Join-Path $PSScriptRoot 'LayerImages.psm1') -Force
            $spec = @{ tag = 'big'; layers = @(@{ compression = 'none'; entries = @(@{ path = 'blob.bin'; size = 40MB }) }) }
            $script:bigLayout = New-LayerImage $spec -Path (Join-Path $TestDrive 'big')
        }

        It 'survives a 503 on the second chunk, a reset mid-chunk and a 429 on the manifest, resuming where the registry stands' {
            $origin = Start-OciTestRegistry -Path $bigLayout -Repository big/image
            $target = Start-OciTestRegistry
            try {
                # 16 MiB chunks: the second is refused with 503, the third cut 4 MiB in (the registry keeps those
                # 4 MiB), and the first PUT of the manifest meets a 429 with Retry-After.
                New-OciTestRegistryFault Fail -StatusCode 503 -Method PATCH -Skip 1 -Count 1 | Add-OciTestRegistryFault $target
                New-OciTestRegistryFault CutUpload -Method PATCH -Offset 36MB -Count 1 | Add-OciTestRegistryFault $target
                New-OciTestRegistryFault Fail -StatusCode 429 -RetryAfter 1 -Method PUT -Path '*/manifests/*' -Count 1 | Add-OciTestRegistryFault $target
                $result = Copy-OciImage "$($origin.Host)/big/image:big" "$($target.Host)/big/image:big" -RetryIntervalSec 0.05
                $manifest = Get-OciManifest "$($origin.Host)/big/image:big"
                $result.Digest | Should -Be $manifest.Digest
                $layer = $manifest.Layers[0]
                $last = $layer.Size - 1
                $upload = Get-OciTestRegistryRequest $target -Path '*/blobs/uploads/*' | Where-Object Method -in PATCH, GET |
                    ForEach-Object { '{0} {1} {2}' -f $_.Method, $(if ($_.Aborted) { 'aborted' } else { $_.StatusCode }), $_.ContentRange }
                $upload | Should -Be @(
                    'PATCH 202 0-16777215'
                    'PATCH 503 16777216-33554431'
                    'GET 204 '
                    'PATCH 202 16777216-33554431'
                    "PATCH aborted 33554432-$last"
                    'GET 204 '
                    "PATCH 202 37748736-$last"
                ) -Because 'after each failure the client asks where the upload stands and goes on from there, not from byte 0'
                $result.BytesUploaded | Should -BeLessThan (2 * $layer.Size) -Because 'the refused and the cut chunk count as sent, but the layer is not sent again from byte 0'
                (Get-OciTestRegistryRequest $target -Method PUT -Path '*/manifests/*').StatusCode | Should -Be 429, 201, 201 -Because 'the manifest is PUT by digest (429, then again), then tagged'
                (Get-OciBlob "$($target.Host)/big/image@$($layer.Digest)" -MaxSize 64MB -AsByteArray).Length | Should -Be $layer.Size
            }
            finally {
                $origin, $target | Stop-OciTestRegistry
            }
        }
    }
}
