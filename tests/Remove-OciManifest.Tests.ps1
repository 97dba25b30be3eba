# Remove-OciManifest against fresh test registries: by tag (resolved, then deleted by digest) and by digest,
# from the pipeline, -WhatIf sending nothing, and the errors for a registry that refuses and a manifest that is not there.
Describe 'Remove-OciManifest' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $ProgressPreference = 'SilentlyContinue'
        $script:registry = Start-OciTestRegistry
        $script:file = Join-Path $TestDrive 'notes.txt'
        Set-Content -Path $file -Value 'notes'
        $script:publish = {
            param([string] $Tag, [string] $Text = [guid]::NewGuid().ToString())
            Set-Content -Path $file -Value $Text
            Publish-OciArtifact "$($registry.Host)/files/notes$(if ($Tag) { ":$Tag" })" -Path $file
        }
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    BeforeEach { Clear-OciTestRegistryRequest $registry }

    It 'removes a tag''s manifest by its digest, with every tag pointing at it, and writes nothing' {
        $artifact = & $publish 'one'
        $null = Publish-OciArtifact "$($registry.Host)/files/notes:two" -Path $file -Annotation @{ 'org.opencontainers.image.created' = (Get-OciManifest $artifact.Reference).Annotations['org.opencontainers.image.created'] }
        (Resolve-OciDigest "$($registry.Host)/files/notes:two").Digest | Should -Be $artifact.Digest
        Clear-OciTestRegistryRequest $registry

        $output = Remove-OciManifest "$($registry.Host)/files/notes:one" -Confirm:$false
        $output | Should -BeNullOrEmpty
        $log = @(Get-OciTestRegistryRequest $registry)
        ($log | Where-Object Method -EQ 'DELETE').Path | Should -Be "/v2/files/notes/manifests/$($artifact.Digest)"
        ($log | Where-Object Method -EQ 'HEAD').Path | Should -Be '/v2/files/notes/manifests/one'
        Test-OciManifest $artifact.Reference | Should -BeFalse
        $registry.GetTags('files/notes') | Should -Not -Contain 'one'
        $registry.GetTags('files/notes') | Should -Not -Contain 'two'
    }

    It 'removes by digest without resolving anything, and says what went with -PassThru' {
        $artifact = & $publish 'digest'
        Clear-OciTestRegistryRequest $registry
        $removed = Remove-OciManifest $artifact.Reference -Confirm:$false -PassThru
        $removed | Should -BeOfType ([OciRegistry.Output.OciResolvedDigest])
        $removed.Digest | Should -Be $artifact.Digest
        @(Get-OciTestRegistryRequest $registry).Method | Should -Be @('DELETE')
        Test-OciManifest "$($registry.Host)/files/notes:digest" | Should -BeFalse
    }

    It 'takes manifests, tags and Resolve-OciDigest results from the pipeline' {
        $a = & $publish 'pipe-a'; $b = & $publish 'pipe-b'; $c = & $publish 'pipe-c'
        Get-OciManifest $a.Reference | Remove-OciManifest -Confirm:$false
        Get-OciTag "$($registry.Host)/files/notes" -Include 'pipe-b' | Remove-OciManifest -Confirm:$false
        Resolve-OciDigest "$($registry.Host)/files/notes:pipe-c" | Remove-OciManifest -Confirm:$false
        foreach ($artifact in $a, $b, $c) { Test-OciManifest $artifact.Reference | Should -BeFalse }
    }

    It 'sends nothing with -WhatIf, for a tag or a digest' {
        $artifact = & $publish 'whatif'
        Clear-OciTestRegistryRequest $registry
        Remove-OciManifest "$($registry.Host)/files/notes:whatif" -WhatIf
        Remove-OciManifest $artifact.Reference -WhatIf
        @(Get-OciTestRegistryRequest $registry) | Should -BeNullOrEmpty
        Test-OciManifest $artifact.Reference | Should -BeTrue
    }

    It 'refuses a reference without a tag or digest, before any request' {
        { Remove-OciManifest "$($registry.Host)/files/notes" -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidReference,OciRegistry.Commands.RemoveOciManifestCommand'
        @(Get-OciTestRegistryRequest $registry) | Should -BeNullOrEmpty
    }

    It 'says ManifestNotFound for a manifest or tag that is not there' {
        { Remove-OciManifest "$($registry.Host)/files/notes@sha256:$('0' * 64)" -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'ManifestNotFound,OciRegistry.Commands.RemoveOciManifestCommand'
        { Remove-OciManifest "$($registry.Host)/files/notes:no-such-tag" -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'ManifestNotFound,OciRegistry.Commands.RemoveOciManifestCommand'
    }

    It 'says ManifestDeleteRefused when the registry does not delete, and leaves the manifest' {
        $locked = Start-OciTestRegistry -DisableDelete
        try {
            $artifact = Publish-OciArtifact "$($locked.Host)/files/kept:1" -Path $file
            $thrown = $null
            try { Remove-OciManifest "$($locked.Host)/files/kept:1" -Confirm:$false -ErrorAction Stop } catch { $thrown = $_ }
            $thrown.FullyQualifiedErrorId | Should -Be 'ManifestDeleteRefused,OciRegistry.Commands.RemoveOciManifestCommand'
            $thrown.CategoryInfo.Category | Should -Be 'NotImplemented'
            $thrown.ErrorDetails.RecommendedAction | Should -Match 'does not delete'
            Test-OciManifest $artifact.Reference | Should -BeTrue
        }
        finally { $locked | Stop-OciTestRegistry }
    }

    It 'carries on past one failure in a pipeline' {
        $artifact = & $publish 'after-failure'
        $errors = $null
        "$($registry.Host)/files/notes:no-such-tag", $artifact.Reference | Remove-OciManifest -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        @($errors).Count | Should -Be 1
        Test-OciManifest $artifact.Reference | Should -BeFalse
    }
}
