# Expand-OciImage's everyday behaviour; hostile layers are in Expand-OciImage.Hostile.Tests.ps1, the comparison with
# umoci in Interop/Umoci.Interop.Tests.ps1.
Describe 'Expand-OciImage' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot 'LayerImages.psm1') -Force
        Import-OciRegistryUnderTest
        $script:id = { param($name) "$name,OciRegistry.Commands.ExpandOciImageCommand" }
        $spec = @{ tag = 'v1'; layers = @(
                @{ compression = 'gzip'; entries = @(@{ path = 'etc/a'; content = 'a' }, @{ path = 'usr/bin/tool'; content = 'tool'; mode = '0755' }) }
                @{ compression = 'none'; entries = @(@{ path = 'etc/b'; content = 'b' }) }) }
        $script:layout = New-LayerImage $spec -Path (Join-Path $TestDrive 'layout')
        $script:registry = Start-OciTestRegistry -Path $layout -Repository 'expand/image'
        $script:ref = "$($registry.Host)/expand/image:v1"
    }

    AfterAll { Stop-OciTestRegistry }

    It 'writes the filesystem and reports what it wrote' {
        $dest = Join-Path $TestDrive 'rootfs'
        $result = Expand-OciImage $ref -Destination $dest
        $result.Files | Should -Be 3
        $result.Layers | Should -Be 2
        $result.Digest | Should -Be (Get-OciManifest $ref).Digest
        Get-Content -Raw (Join-Path $dest 'etc/b') | Should -Be 'b'
        @(Get-ChildItem -Force -LiteralPath $TestDrive -Name) | Where-Object { $_ -like '.*expanding*' } | Should -BeNullOrEmpty
    }

    It 'refuses a folder that is not empty before any download, and merges into it with -Force' {
        $dest = Join-Path $TestDrive 'full'
        $null = New-Item -ItemType Directory $dest
        Set-Content -LiteralPath (Join-Path $dest 'mine.txt') 'mine'
        Clear-OciTestRegistryRequest $registry
        Expand-OciImage $ref -Destination $dest -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'DestinationNotEmpty')
        @(Get-OciTestRegistryRequest $registry).Count | Should -Be 0
        $null = Expand-OciImage $ref -Destination $dest -Force
        Get-Content -Raw (Join-Path $dest 'mine.txt') | Should -Match 'mine'
        Get-Content -Raw (Join-Path $dest 'etc/a') | Should -Be 'a'
    }

    It 'writes only what -Include names' {
        $dest = Join-Path $TestDrive 'part'
        $null = Expand-OciImage $ref -Destination $dest -Include /usr/bin
        (Get-ChildItem -Recurse -File -LiteralPath $dest).Name | Should -Be @('tool')
    }

    It 'does nothing with -WhatIf' {
        $dest = Join-Path $TestDrive 'whatif'
        Clear-OciTestRegistryRequest $registry
        Expand-OciImage $ref -Destination $dest -WhatIf
        Test-Path $dest | Should -BeFalse
        @(Get-OciTestRegistryRequest $registry).Count | Should -Be 0
    }

    It 'expands from a layout with no registry, and reuses -Cache blobs instead of downloading' {
        $null = Expand-OciImage -LayoutPath $layout -Reference v1 -Destination (Join-Path $TestDrive 'offline')
        Get-Content -Raw (Join-Path $TestDrive 'offline/etc/a') | Should -Be 'a'
        Clear-OciTestRegistryRequest $registry
        $null = Expand-OciImage $ref -Destination (Join-Path $TestDrive 'cached') -Cache $layout
        @(Get-OciTestRegistryRequest $registry | Where-Object Path -like '*/blobs/*').Count | Should -Be 0
    }

    It 'says which layout is wrong when -LayoutPath is not one' {
        Expand-OciImage -LayoutPath $TestDrive -Reference v1 -Destination (Join-Path $TestDrive 'nope') -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'LayoutInvalid')
    }
}
