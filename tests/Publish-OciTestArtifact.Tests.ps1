Describe 'Publish-OciTestArtifact' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $registry = Start-OciTestRegistry -SampleContent
        $files = Join-Path $TestDrive 'files'
        $null = New-Item -ItemType Directory $files
        Set-Content -Path (Join-Path $files 'sbom.json') -Value '{"spdxVersion":"SPDX-2.3"}' -NoNewline
        Set-Content -Path (Join-Path $files 'notes.txt') -Value 'release notes' -NoNewline
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    It 'publishes one titled layer per file, with the artifact type and annotations, and returns the manifest' {
        $manifest = $registry | Publish-OciTestArtifact -Repository 'files/docs' -Tag 'v1' -Path (Join-Path $files '*') -ArtifactType 'application/vnd.example.docs' -Annotation @{ 'org.opencontainers.image.version' = '1.0' }

        $manifest | Should -BeOfType ([OciRegistry.Output.OciManifest])
        $manifest.ArtifactType | Should -Be 'application/vnd.example.docs'
        $manifest.Annotations['org.opencontainers.image.version'] | Should -Be '1.0'
        $manifest.Config.MediaType | Should -Be 'application/vnd.oci.empty.v1+json'
        @($manifest.Layers.Title) | Sort-Object | Should -Be @('notes.txt', 'sbom.json')
        $manifest.Reference | Should -Be "$($registry.Host)/files/docs@$($manifest.Digest)"
        (Get-OciManifest "$($registry.Host)/files/docs:v1").Digest | Should -Be $manifest.Digest
        $layer = $manifest.Layers | Where-Object Title -EQ 'notes.txt'
        (Invoke-WebRequest "$($registry.Url)v2/files/docs/blobs/$($layer.Digest)").Content | Should -Be ([System.Text.Encoding]::UTF8.GetBytes('release notes'))
    }

    It 'adds a subject from a manifest object or a digest, which Get-OciReferrer then finds' {
        $subject = Get-OciManifest "$($registry.Host)/samples/hello:latest"
        $byObject = Publish-OciTestArtifact $registry -Repository 'samples/hello' -Path (Join-Path $files 'sbom.json') -ArtifactType 'application/spdx+json' -Subject $subject
        $byDigest = Publish-OciTestArtifact $registry -Repository 'samples/hello' -Path (Join-Path $files 'notes.txt') -ArtifactType 'text/plain' -Subject $subject.Digest

        $byObject.Subject.Digest | Should -Be $subject.Digest
        $byDigest.Subject.Digest | Should -Be $subject.Digest
        $referrers = Get-OciReferrer "$($registry.Host)/samples/hello:latest"
        @($referrers.Digest) | Should -Contain $byObject.Digest
        @($referrers.Digest) | Should -Contain $byDigest.Digest
        @(Get-OciReferrer "$($registry.Host)/samples/hello:latest" -ArtifactType 'application/spdx+json').Digest | Should -Be @($byObject.Digest)
    }

    It 'defaults to the artifact type oras uses and publishes no tag' {
        $manifest = Publish-OciTestArtifact $registry -Repository 'files/untagged' -Path (Join-Path $files 'notes.txt')
        $manifest.ArtifactType | Should -Be 'application/vnd.unknown.artifact.v1'
        $manifest.Tag | Should -BeNullOrEmpty
        $registry.GetTags('files/untagged') | Should -BeNullOrEmpty
    }

    It 'fails clearly for a missing file, an unknown subject digest or a bad repository' {
        { Publish-OciTestArtifact $registry -Repository 'files/x' -Path (Join-Path $files 'missing.txt') -ErrorAction Stop } | Should -Throw
        { Publish-OciTestArtifact $registry -Repository 'files/x' -Path (Join-Path $files 'notes.txt') -Subject ('sha256:' + '0' * 64) -ErrorAction Stop } |
            Should -Throw -ErrorId 'SubjectNotFound,OciRegistry.Commands.PublishOciTestArtifactCommand'
        { Publish-OciTestArtifact $registry -Repository 'Bad Name' -Path (Join-Path $files 'notes.txt') -ErrorAction Stop } |
            Should -Throw -ErrorId 'ArtifactNotPublished,OciRegistry.Commands.PublishOciTestArtifactCommand'
    }

    It 'changes nothing with -WhatIf' {
        $null = Publish-OciTestArtifact $registry -Repository 'files/whatif' -Path (Join-Path $files 'notes.txt') -WhatIf
        $registry.Repositories | Should -Not -Contain 'files/whatif'
    }

    It 'refuses a wildcard that matches no file instead of publishing an empty artifact' {
        { Publish-OciTestArtifact -Registry $registry -Repository files/none -Path (Join-Path $TestDrive 'nothing-*.txt') -ErrorAction Stop } |
            Should -Throw -ErrorId 'NoFilesToPublish,OciRegistry.Commands.PublishOciTestArtifactCommand'
    }
}
