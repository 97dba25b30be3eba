# Publish-OciArtifact against fresh test registries: what the manifest holds, that the files come back byte for byte
# under their titles, that nothing is sent for names Save-OciBlob would refuse or under -WhatIf, and the subject
# both through the referrers API and through the referrers tag schema.
BeforeDiscovery {
    # Names Save-OciBlob -UseTitle refuses, each a file name Linux allows.
    $script:unsafeNames = @(
        @{ Name = 'notes.txt.partial'; Why = 'a download''s working file' }
        @{ Name = 'report.partial.json'; Why = 'a download''s sidecar' }
        @{ Name = 'CON.txt'; Why = 'a Windows device name' }
        @{ Name = 'a:b.txt'; Why = 'a drive or stream separator' }
        @{ Name = "invoice$([char] 0x202E)txt.exe"; Why = 'a text-direction override' }
        @{ Name = 'trailing.'; Why = 'a trailing dot Windows drops' }
    )
}

Describe 'Publish-OciArtifact' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $ProgressPreference = 'SilentlyContinue'
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:files = Join-Path $TestDrive 'files'
        $null = New-Item -ItemType Directory $files
        Set-Content -Path (Join-Path $files 'notes.txt') -Value 'release notes' -NoNewline
        Set-Content -Path (Join-Path $files 'sbom.json') -Value '{"spdxVersion":"SPDX-2.3"}' -NoNewline
        $big = [byte[]]::new(20MB)
        [System.Random]::new(7).NextBytes($big)
        [System.IO.File]::WriteAllBytes((Join-Path $files 'big.bin'), $big)
        $script:paths = @('notes.txt', 'sbom.json', 'big.bin') | ForEach-Object { Join-Path $files $_ }

        $script:published = Publish-OciArtifact "$($registry.Host)/files/bundle:v1" -Path $paths -ArtifactType 'application/vnd.example.bundle' -Annotation @{ 'org.example.note' = 'hello' }
        $script:manifest = Get-OciManifest $published.Reference
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    It 'returns the artifact pinned by digest, with its files' {
        $published | Should -BeOfType ([OciRegistry.Output.OciPublishedArtifact])
        $published.Reference | Should -Be "$($registry.Host)/files/bundle@$($published.Digest)"
        $published.Tag | Should -Be 'v1'
        @($published.Files.Title) | Should -Be @('notes.txt', 'sbom.json', 'big.bin')
        $published.TotalSize | Should -Be (2 + 13 + 26 + 20MB)
        $published.BytesUploaded | Should -Be (2 + 13 + 26 + 20MB)
        (Resolve-OciDigest "$($registry.Host)/files/bundle:v1").Digest | Should -Be $published.Digest
    }

    It 'pushes an artifact manifest: artifactType, empty config, titled layers typed by extension, annotations' {
        $manifest.Digest | Should -Be $published.Digest
        $manifest.MediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
        $manifest.ArtifactType | Should -Be 'application/vnd.example.bundle'
        $manifest.Config.MediaType | Should -Be 'application/vnd.oci.empty.v1+json'
        $manifest.Config.Digest | Should -Be 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'
        @($manifest.Layers.Title) | Should -Be @('notes.txt', 'sbom.json', 'big.bin')
        @($manifest.Layers.MediaType) | Should -Be @('text/plain', 'application/json', 'application/octet-stream')
        $manifest.Annotations['org.example.note'] | Should -Be 'hello'
        [DateTime]::Parse($manifest.Annotations['org.opencontainers.image.created']).ToUniversalTime() |
            Should -BeGreaterThan ([DateTime]::UtcNow.AddMinutes(-10))
        $manifest.Subject | Should -BeNullOrEmpty
        (Get-Sha256Digest $manifest.GetRawContent()) | Should -Be $published.Digest
    }

    It 'brings the files back byte for byte with Save-OciBlob -UseTitle' {
        $out = Join-Path $TestDrive 'back'
        $null = $manifest | Save-OciBlob -Destination $out -UseTitle
        foreach ($path in $paths) {
            $name = Split-Path $path -Leaf
            (Get-FileHash (Join-Path $out $name)).Hash | Should -Be (Get-FileHash $path).Hash -Because $name
        }
    }

    It 'uploads nothing the repository already has' {
        $again = Publish-OciArtifact "$($registry.Host)/files/bundle:v2" -Path $paths -ArtifactType 'application/vnd.example.bundle'
        $again.BytesUploaded | Should -Be 0
        (Get-OciManifest "$($registry.Host)/files/bundle:v2").Layers.Digest | Should -Be $manifest.Layers.Digest
    }

    It 'takes piped files, the default artifact type, -MediaType for all and no tag' {
        $artifact = Get-ChildItem $files -Filter '*.json' | Publish-OciArtifact "$($registry.Host)/files/untagged" -MediaType 'application/spdx+json'
        $artifact.Tag | Should -BeNullOrEmpty
        $artifact.ArtifactType | Should -Be 'application/vnd.unknown.artifact.v1'
        $pulled = Get-OciManifest $artifact.Reference
        $pulled.ArtifactType | Should -Be 'application/vnd.unknown.artifact.v1'
        @($pulled.Layers.MediaType) | Should -Be @('application/spdx+json')
        $registry.GetTags('files/untagged') | Should -BeNullOrEmpty
    }

    It 'uses -ConfigPath as the config, without an artifactType of its own' {
        $config = Join-Path $TestDrive 'config.json'
        Set-Content -Path $config -Value '{"schema":1}' -NoNewline
        $artifact = Publish-OciArtifact "$($registry.Host)/files/configured:1" -Path $paths[0] -ConfigPath $config
        $pulled = Get-OciManifest $artifact.Reference
        $pulled.Config.MediaType | Should -Be 'application/json'
        $pulled.Config.Digest | Should -Be (Get-Sha256Digest ([System.IO.File]::ReadAllBytes($config)))
        $pulled.GetRawText() | Should -Not -Match '"artifactType"'
    }

    It 'shows its requests with -Verbose' {
        $verbose = Publish-OciArtifact "$($registry.Host)/files/verbose:1" -Path $paths[0] -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match 'PUT .*/v2/files/verbose/manifests/1'
    }

    Context 'refusals before any request' {
        BeforeEach { Clear-OciTestRegistryRequest $registry }

        It 'refuses <Name> (<Why>) and sends nothing' -ForEach $unsafeNames {
            $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
            $null = New-Item -ItemType Directory $folder
            $file = Join-Path $folder $Name
            [System.IO.File]::WriteAllText($file, 'x')
            { Publish-OciArtifact "$($registry.Host)/files/unsafe:1" -Path ([WildcardPattern]::Escape($file)), $paths[0] -ErrorAction Stop } |
                Should -Throw -ErrorId 'UnsafeTitle,OciRegistry.Commands.PublishOciArtifactCommand'
            @(Get-OciTestRegistryRequest $registry) | Should -BeNullOrEmpty
        }

        It 'refuses two files that would share a title, also by case, and sends nothing' {
            $a = Join-Path $TestDrive 'dup-a'; $b = Join-Path $TestDrive 'dup-b'
            $null = New-Item -ItemType Directory $a, $b
            Set-Content (Join-Path $a 'notes.txt') 'one'
            Set-Content (Join-Path $b 'NOTES.TXT') 'two'
            { Publish-OciArtifact "$($registry.Host)/files/dup:1" -Path (Join-Path $a 'notes.txt'), (Join-Path $b 'NOTES.TXT') -ErrorAction Stop } |
                Should -Throw -ErrorId 'DuplicateTitle,OciRegistry.Commands.PublishOciArtifactCommand'
            @(Get-OciTestRegistryRequest $registry) | Should -BeNullOrEmpty
        }

        It 'refuses a missing file, a digest reference and a subject elsewhere, sending nothing' {
            { Publish-OciArtifact "$($registry.Host)/files/x:1" -Path (Join-Path $files 'missing.txt') -ErrorAction Stop } |
                Should -Throw -ErrorId 'NoFilesToPublish,OciRegistry.Commands.PublishOciArtifactCommand'
            { Publish-OciArtifact "$($registry.Host)/files/x@sha256:$('0' * 64)" -Path $paths[0] -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidReference,OciRegistry.Commands.PublishOciArtifactCommand'
            { Publish-OciArtifact "$($registry.Host)/files/x:1" -Path $paths[0] -Subject "$($registry.Host)/samples/hello:1.0" -ErrorAction Stop } |
                Should -Throw -ErrorId 'SubjectNotFound,OciRegistry.Commands.PublishOciArtifactCommand'
            @(Get-OciTestRegistryRequest $registry) | Should -BeNullOrEmpty
        }

        It 'sends nothing with -WhatIf' {
            $result = Publish-OciArtifact "$($registry.Host)/files/whatif:1" -Path $paths -WhatIf
            $result | Should -BeNullOrEmpty
            @(Get-OciTestRegistryRequest $registry) | Should -BeNullOrEmpty
            $registry.Repositories | Should -Not -Contain 'files/whatif'
        }
    }

    Context 'with a subject' {
        It 'sets the subject and is listed by the referrers API, from a manifest object or a reference' {
            $image = Get-OciManifest "$($registry.Host)/samples/hello:1.0"
            $byObject = Publish-OciArtifact "$($registry.Host)/samples/hello" -Path $paths[1] -ArtifactType 'application/spdx+json' -Subject $image
            $byReference = Publish-OciArtifact "$($registry.Host)/samples/hello" -Path $paths[0] -ArtifactType 'text/plain' -Subject "$($registry.Host)/samples/hello:1.0"

            foreach ($artifact in $byObject, $byReference) {
                $artifact.Subject.Digest | Should -Be $image.Digest
                $artifact.ReferrersTagUpdated | Should -BeFalse
                $pulled = Get-OciManifest $artifact.Reference
                $pulled.Subject.Digest | Should -Be $image.Digest
                $pulled.Subject.MediaType | Should -Be $image.MediaType
                $pulled.Subject.Size | Should -Be $image.Size
            }

            $referrers = @(Get-OciReferrer "$($registry.Host)/samples/hello:1.0")
            $referrers.Digest | Should -Contain $byObject.Digest
            $referrers.Digest | Should -Contain $byReference.Digest
            ($referrers | Where-Object Digest -EQ $byObject.Digest).ArtifactType | Should -Be 'application/spdx+json'
            $registry.GetTags('samples/hello') | Where-Object { $_ -like 'sha256-*' } | Should -BeNullOrEmpty
        }

        It 'adds itself to the referrers tag where the registry has no referrers API' {
            $old = Start-OciTestRegistry -SampleContent -NoReferrersApi
            try {
                $image = Resolve-OciDigest "$($old.Host)/samples/hello:1.0"
                $first = Publish-OciArtifact "$($old.Host)/samples/hello" -Path $paths[1] -ArtifactType 'application/spdx+json' -Subject $image
                $second = Publish-OciArtifact "$($old.Host)/samples/hello" -Path $paths[0] -ArtifactType 'text/plain' -Subject "$($old.Host)/samples/hello:1.0" -Annotation @{ 'org.example.kind' = 'notes' }

                $first.ReferrersTagUpdated | Should -BeTrue
                $second.ReferrersTagUpdated | Should -BeTrue
                $tag = $image.Digest -replace ':', '-'
                $old.GetTags('samples/hello') | Should -Contain $tag
                $index = Get-OciManifest "$($old.Host)/samples/hello:$tag"
                @($index.Manifests.Digest) | Should -Contain $first.Digest
                @($index.Manifests.Digest) | Should -Contain $second.Digest
                $referrers = @(Get-OciReferrer "$($old.Host)/samples/hello:1.0")
                $referrers.Digest | Should -Contain $first.Digest
                $referrers.Digest | Should -Contain $second.Digest
                ($referrers | Where-Object Digest -EQ $second.Digest).ArtifactType | Should -Be 'text/plain'
                ($referrers | Where-Object Digest -EQ $second.Digest).Annotations['org.example.kind'] | Should -Be 'notes'
            }
            finally { $old | Stop-OciTestRegistry }
        }
    }
}
