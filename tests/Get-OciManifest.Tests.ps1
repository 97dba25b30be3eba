Describe 'Get-OciManifest' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:repo = "$($registry.Host)/samples/hello"
        $script:id = { param($name) "$name,OciRegistry.Commands.GetOciManifestCommand" }
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    Context 'typed objects' {
        It 'returns an index with its platforms for a multi-platform tag' {
            $index = Get-OciManifest "${repo}:1.0"
            $index | Should -BeOfType ([OciRegistry.Output.OciIndex])
            $index.MediaType | Should -Be 'application/vnd.oci.image.index.v1+json'
            $index.Platforms | Should -Be @('linux/amd64', 'linux/arm64/v8')
            $index.Tag | Should -Be '1.0'
            $index.Registry | Should -Be $registry.Host
            $index.Repository | Should -Be 'samples/hello'
            $index.Reference | Should -Be "$repo@$($index.Digest)"
            $index.Digest | Should -Be (Get-Sha256Digest $index.GetRawContent())
        }

        It 'resolves -Platform to one verified manifest' {
            $manifest = Get-OciManifest "${repo}:1.0" -Platform linux/arm64
            $manifest | Should -BeOfType ([OciRegistry.Output.OciManifest])
            $manifest.Platform.ToString() | Should -Be 'linux/arm64/v8'
            $manifest.Layers.Count | Should -Be 1
            $manifest.Layers[0].Title | Should -Not -BeNullOrEmpty
            $manifest.TotalSize | Should -Be ($manifest.Config.Size + ($manifest.Layers | Measure-Object Size -Sum).Sum)
        }

        It 'gives every descriptor its source so that it pipes back in' {
            $index = Get-OciManifest "${repo}:latest"
            $index.Manifests[0].Registry | Should -Be $registry.Host
            $index.Manifests[0].Reference | Should -Be "$repo@$($index.Manifests[0].Digest)"
            $children = $index.Manifests | Get-OciManifest
            $children.Digest | Should -Be $index.Manifests.Digest
        }

        It 'takes -Registry, -Repository and -Digest, and pipes by property name' {
            $index = Get-OciManifest "${repo}:1.0"
            $byParts = Get-OciManifest -Registry $registry.Host -Repository 'samples/hello' -Digest $index.Digest
            $byParts.Digest | Should -Be $index.Digest
            ([pscustomobject]@{ Registry = $registry.Host; Repository = 'samples/hello'; Tag = 'docker' } | Get-OciManifest).MediaType |
                Should -Be 'application/vnd.docker.distribution.manifest.v2+json'
        }

        It 'returns an artifact with artifactType and subject' {
            $artifact = Get-OciManifest "${repo}:readme"
            $artifact.ArtifactType | Should -Be 'application/vnd.ociregistry.sample.readme'
            $artifact.Config.MediaType | Should -Be 'application/vnd.oci.empty.v1+json'
            $artifact.Subject.Digest | Should -Match '^sha256:[0-9a-f]{64}$'
        }

        It 'emits the exact bytes with -Raw' {
            $index = Get-OciManifest "${repo}:1.0"
            Get-OciManifest "${repo}:1.0" -Raw | Should -BeExactly $index.GetRawText()
        }

        It 'shows each HTTP request with -Verbose' {
            $lines = Get-OciManifest "${repo}:1.0" -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($lines.Message -join "`n") | Should -Match 'GET http://127\.0\.0\.1:\d+/v2/samples/hello/manifests/1\.0 -> 200'
        }
    }

    Context 'bad input gets a clear error record' {
        It 'refuses a malformed reference before any request: <Text>' -ForEach @(
            @{ Text = 'lower/UPPER' }, @{ Text = 'https://example.com/x' }, @{ Text = 'repo@sha256:1234' }, @{ Text = 'a//b' }, @{ Text = 'x:bad tag' }
        ) {
            { Get-OciManifest $Text -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidReference')
        }

        It 'says to leave out a scheme, and names -AllowInsecure for plain HTTP' {
            $err = $null
            Get-OciManifest 'http://example.com/x:1' -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].Exception.Message | Should -BeLike '*leave out the scheme*'
            $err[0].Exception.Message | Should -Not -BeLike '*-AllowInsecure*' -Because 'the core says what is wrong, the cmdlet which switch helps'
            $err[0].ErrorDetails.RecommendedAction | Should -BeLike '*-AllowInsecure*'
        }

        It 'reports an unknown tag as ManifestNotFound (ObjectNotFound)' {
            $err = $null
            Get-OciManifest "${repo}:nope" -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'ManifestNotFound')
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].TargetObject | Should -Be "${repo}:nope"
            $err[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }

        It 'reports an unknown repository as RepositoryNotFound' {
            { Get-OciManifest "$($registry.Host)/no/such:1" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'RepositoryNotFound')
        }

        It 'carries on past a bad item in a pipeline' {
            $err = $null
            $out = "${repo}:1.0", 'BAD REF', "${repo}:missing", "${repo}:docker" | Get-OciManifest -ErrorAction SilentlyContinue -ErrorVariable err
            @($out).Count | Should -Be 2
            @($err).Count | Should -Be 2
        }

        It 'reports a platform the index lacks, naming those it has' {
            $err = $null
            Get-OciManifest "${repo}:1.0" -Platform windows/amd64 -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'PlatformNotFound')
            $err[0].Exception.Message | Should -Match 'linux/amd64'
        }

        It 'refuses -Platform for a single image of another platform, and accepts its own' {
            $err = $null
            Get-OciManifest "${repo}:docker" -Platform linux/arm64 -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'PlatformNotFound')
            $err[0].Exception.Message | Should -Match 'linux/amd64'
            $err[0].Exception.Message | Should -Match 'built for linux/amd64, not for linux/arm64'
            $err[0].Exception.Message | Should -Not -Match 'the index'
            $own = Get-OciManifest "${repo}:docker" -Platform linux/amd64
            $own.MediaType | Should -Be 'application/vnd.docker.distribution.manifest.v2+json'
            "$($own.Platform)" | Should -Be 'linux/amd64' -Because 'the platform read from the config is shown'
        }

        It 'keeps the platform of index entries piped in' {
            $index = Get-OciManifest "${repo}:1.0"
            $manifests = $index.Manifests | Get-OciManifest
            @($manifests | ForEach-Object { "$($_.Platform)" }) | Should -Be @($index.Manifests | ForEach-Object { "$($_.Platform)" })
        }

        It 'says what a platform looks like when given a lone architecture' {
            $err = $null
            Get-OciManifest "${repo}:1.0" -Platform amd64 -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'InvalidPlatform')
            $err[0].Exception.Message | Should -Match 'linux/amd64'
            $err[0].Exception.Message | Should -Not -Match 'reference'
            $err[0].ErrorDetails.RecommendedAction | Should -Not -Match 'repository'
        }

        It 'refuses content that does not match the digest asked for' {
            $other = (Get-OciManifest "${repo}:docker").Digest
            { Get-OciManifest "${repo}:1.0@$other" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'ManifestDigestMismatch')
        }

        It 'refuses a manifest larger than 4 MiB' {
            $big = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[],"annotations":{"pad":"' + ('x' * 4.5MB) + '"}}'
            $registry.AddManifest('edge/cases', [Text.Encoding]::UTF8.GetBytes($big), 'application/vnd.oci.image.manifest.v1+json', 'big')
            { Get-OciManifest "$($registry.Host)/edge/cases:big" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'ManifestTooLarge')
        }

        It 'refuses Docker schema 1 with UnsupportedMediaType' {
            $schema1 = '{"schemaVersion":1,"name":"edge/cases","tag":"old","architecture":"amd64","fsLayers":[],"history":[]}'
            $registry.AddManifest('edge/cases', [Text.Encoding]::UTF8.GetBytes($schema1), 'application/vnd.docker.distribution.manifest.v1+prettyjws', 'old')
            $err = $null
            Get-OciManifest "$($registry.Host)/edge/cases:old" -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'UnsupportedMediaType')
            $err[0].Exception.Message | Should -Match 'schema 1'
        }

        It 'reports a refused connection as RegistryConnectionFailed' {
            $port = Get-FreeTcpPort
            { Get-OciManifest "127.0.0.1:$port/a/b:1" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'RegistryConnectionFailed')
        }
    }

    Context 'attestations (BuildKit unknown/unknown entries)' {
        BeforeAll {
            # An index as BuildKit pushes it: each image, then an attestation manifest about it, with the platform
            # unknown/unknown and the annotations that name the image it attests.
            $utf8 = [System.Text.Encoding]::UTF8
            $index = Get-OciManifest "${repo}:1.0"
            $statement = $utf8.GetBytes('{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2"}')
            $config = $utf8.GetBytes('{}')
            $entries = foreach ($image in $index.Manifests) {
                $layer = $utf8.GetBytes("{`"subject`":`"$($image.Digest)`"}")
                $attestation = [ordered] @{
                    schemaVersion = 2
                    mediaType     = 'application/vnd.oci.image.manifest.v1+json'
                    config        = [ordered] @{ mediaType = 'application/vnd.oci.image.config.v1+json'; digest = $registry.AddBlob('samples/hello', $config); size = $config.Length }
                    layers        = @([ordered] @{ mediaType = 'application/vnd.in-toto+json'; digest = $registry.AddBlob('samples/hello', $layer); size = $layer.Length })
                } | ConvertTo-Json -Depth 5 -Compress
                $bytes = $utf8.GetBytes($attestation)
                [ordered] @{ mediaType = $image.MediaType; digest = $image.Digest; size = $image.Size; platform = [ordered] @{ architecture = $image.Platform.Architecture; os = $image.Platform.Os } }
                [ordered] @{
                    mediaType   = 'application/vnd.oci.image.manifest.v1+json'
                    digest      = $registry.AddManifest('samples/hello', $bytes, 'application/vnd.oci.image.manifest.v1+json')
                    size        = $bytes.Length
                    platform    = [ordered] @{ architecture = 'unknown'; os = 'unknown' }
                    annotations = [ordered] @{ 'vnd.docker.reference.digest' = $image.Digest; 'vnd.docker.reference.type' = 'attestation-manifest' }
                }
            }
            $json = [ordered] @{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.index.v1+json'; manifests = @($entries) } | ConvertTo-Json -Depth 6 -Compress
            $null = $registry.AddManifest('samples/hello', $utf8.GetBytes($json), 'application/vnd.oci.image.index.v1+json', 'attested')
            $script:images = $index.Manifests
        }

        It 'lists the platforms without unknown/unknown, and the attestations apart, each with the image it attests' {
            $attested = Get-OciManifest "${repo}:attested"
            $attested.Platforms | Should -Be @('linux/amd64', 'linux/arm64')
            $attested.Manifests.Digest | Should -Be $images.Digest
            $attested.Attestations | Should -HaveCount 2
            $attested.Attestations.Attests | Should -Be $images.Digest
            $attested.Attestations[0].AttestsReference | Should -Be "$repo@$($images[0].Digest)"
            $attested.Attestations[0].Descriptor.Platform.ToString() | Should -Be 'unknown/unknown'
            (Get-OciManifest $attested.Attestations[0].Reference).Layers[0].MediaType | Should -Be 'application/vnd.in-toto+json'
        }

        It 'lists them among the manifests too with -IncludeAttestations, in the index order' {
            $all = Get-OciManifest "${repo}:attested" -IncludeAttestations
            $all.Manifests | Should -HaveCount 4
            $all.Manifests[1].Platform.ToString() | Should -Be 'unknown/unknown'
            $all.Manifests[1].Annotations['vnd.docker.reference.digest'] | Should -Be $images[0].Digest
            $all.Platforms | Should -Be @('linux/amd64', 'linux/arm64') -Because 'an attestation is still not a platform'
        }

        It 'never chooses an attestation for -Platform unknown/unknown, and leaves it out of the platforms it has' {
            $err = $null
            $chosen = Get-OciManifest "${repo}:attested" -Platform unknown/unknown -ErrorAction SilentlyContinue -ErrorVariable err
            $chosen | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'PlatformNotFound')
            $err[0].Exception.Message | Should -Match 'it has linux/amd64, linux/arm64 \(and 2 attestation manifests'
            $err[0].Exception.Available.ForEach({ "$_" }) | Should -Be @('linux/amd64', 'linux/arm64')
            (Get-OciManifest "${repo}:attested" -Platform linux/arm64).Digest | Should -Be $images[1].Digest
        }

        It 'shows no attestation in the index view at 80 columns; counts them among the manifests when asked' {
            $text = Get-OciManifest "${repo}:attested" | Out-String -Width 80
            $text | Should -Not -Match 'unknown'
            $text | Should -Match 'linux/amd64, linux/a'
            ($text -split "`n" | Where-Object { $_ -match 'sha256:' }) | Should -Match '^\S+\s+oci index\s+2\s'
            $text -split "`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
            $asked = Get-OciManifest "${repo}:attested" -IncludeAttestations | Out-String -Width 80
            ($asked -split "`n" | Where-Object { $_ -match 'sha256:' }) | Should -Match '^\S+\s+oci index\s+4\s'
            $asked | Should -Not -Match 'unknown' -Because 'the platforms column still lists platforms only'
        }

        It 'completes -Platform to the real platforms only' {
            [OciRegistry.Completion.CompletionCache]::Clear()
            $line = "Get-OciManifest ${repo}:attested -Platform "
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('linux/amd64', 'linux/arm64')
        }
    }
}
