# The test registry runs without its referrers API (-NoReferrersApi: it answers 404), so these exercise the referrers
# tag schema fallback.
Describe 'Get-OciReferrer' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent -NoReferrersApi
        $script:repo = "$($registry.Host)/samples/hello"
        $script:id = { param($name) "$name,OciRegistry.Commands.GetOciReferrerCommand" }

        # The sample readme artifact's subject is the linux/amd64 image of tag 1.0; publish the referrers tag
        # (sha256-<hex>) that a registry without the referrers API keeps, listing the readme.
        $script:readme = Get-OciManifest "${repo}:readme"
        $script:subject = $readme.Subject.Digest
        $index = [ordered]@{
            schemaVersion = 2
            mediaType     = 'application/vnd.oci.image.index.v1+json'
            manifests     = @([ordered]@{
                    mediaType    = $readme.MediaType
                    digest       = $readme.Digest
                    size         = $readme.Size
                    artifactType = $readme.ArtifactType
                    annotations  = $readme.Annotations
                })
        } | ConvertTo-Json -Depth 5 -Compress
        $null = $registry.AddManifest('samples/hello', [Text.Encoding]::UTF8.GetBytes($index), 'application/vnd.oci.image.index.v1+json', ($subject -replace ':', '-'))
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    Context 'listing' {
        It 'lists the readme as a referrer of the image it is attached to' {
            $referrers = @(Get-OciReferrer "$repo@$subject")
            $referrers.Count | Should -Be 1
            $referrers[0] | Should -BeOfType ([OciRegistry.Output.OciDescriptor])
            $referrers[0].Digest | Should -Be $readme.Digest
            $referrers[0].ArtifactType | Should -Be 'application/vnd.ociregistry.sample.readme'
            $referrers[0].Annotations['org.opencontainers.image.created'] | Should -Not -BeNullOrEmpty
            $referrers[0].Reference | Should -Be "$repo@$($readme.Digest)"
        }

        It 'pipes referrers into Get-OciManifest' {
            $artifact = Get-OciReferrer "$repo@$subject" | Get-OciManifest
            $artifact.Digest | Should -Be $readme.Digest
            $artifact.Subject.Digest | Should -Be $subject
        }

        It 'takes a manifest from the pipeline by its Reference' {
            $image = Get-OciManifest "${repo}:1.0" -Platform linux/amd64
            $image.Digest | Should -Be $subject
            @($image | Get-OciReferrer).Digest | Should -Be $readme.Digest
        }

        It 'resolves a tag to its digest first: the index of tag 1.0 has no referrers' {
            $lines = Get-OciReferrer "${repo}:1.0" -Verbose 4>&1
            @($lines | Where-Object { $_ -is [OciRegistry.Output.OciDescriptor] }).Count | Should -Be 0
            $text = ($lines | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
            $text | Should -Match 'manifests/1\.0 -> 200'
            $text | Should -Match 'no referrers API: HTTP 404; reading the referrers tag sha256-[0-9a-f]{64}'
        }

        It 'filters by -ArtifactType: <Type>' -ForEach @(
            @{ Type = 'application/vnd.ociregistry.sample.readme'; Count = 1 }
            @{ Type = 'application/spdx+json'; Count = 0 }
        ) {
            @(Get-OciReferrer "$repo@$subject" -ArtifactType $Type).Count | Should -Be $Count
        }
    }

    Context 'errors' {
        It 'refuses a malformed reference' {
            { Get-OciReferrer 'UPPER/case@sha256:1' -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidReference')
        }

        It 'reports an unknown tag as ManifestNotFound' {
            { Get-OciReferrer "${repo}:no-such-tag" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'ManifestNotFound')
        }

        It 'reports an unknown repository as RepositoryNotFound' {
            { Get-OciReferrer "$($registry.Host)/no/such@$subject" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'RepositoryNotFound')
        }

        It 'reports a referrers tag that is not an index as ReferrersUnavailable' {
            $config = $registry.AddBlob('edge/referrers', [Text.Encoding]::UTF8.GetBytes('{}'))
            $manifest = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"' + $config + '","size":2},"layers":[]}'
            $fake = 'sha256:' + ('ab' * 32)
            $null = $registry.AddManifest('edge/referrers', [Text.Encoding]::UTF8.GetBytes($manifest), 'application/vnd.oci.image.manifest.v1+json', ($fake -replace ':', '-'))
            $err = $null
            Get-OciReferrer "$($registry.Host)/edge/referrers@$fake" -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'ReferrersUnavailable')
            $err[0].Exception.Message | Should -Match 'not an index'
        }

        It 'carries on past a bad item in a pipeline' {
            $err = $null
            $out = "$repo@$subject", 'BAD REF', "${repo}:missing", "$repo@$subject" | Get-OciReferrer -ErrorAction SilentlyContinue -ErrorVariable err
            @($out).Count | Should -Be 2
            @($err).Count | Should -Be 2
        }
    }
}
