# Get-OciLayerItem against an image the tests build (Fixtures/New-LayerImage.py), served by the test registry.
Describe 'Get-OciLayerItem' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot 'LayerImages.psm1') -Force
        Import-OciRegistryUnderTest
        $script:id = { param($name) "$name,OciRegistry.Commands.GetOciLayerItemCommand" }
        $long = 'deep/' + ('d' * 120) + '/' + ('f' * 150)
        $spec = @{ tag = 'v1'; layers = @(
                @{ compression = 'gzip'; entries = @(
                        @{ path = 'etc'; type = 'dir' }, @{ path = 'etc/passwd'; content = 'root'; uid = 0; gid = 0; uname = 'root'; gname = 'root' }
                        @{ path = 'etc/old'; content = 'old' }, @{ path = 'opt/a'; content = 'a' }, @{ path = 'bin/su'; content = 'su'; mode = '4755' }
                        @{ path = 'bin/hard'; type = 'hardlink'; linkname = 'bin/su' }, @{ path = $long; content = 'long' }) }
                @{ compression = 'zstd'; entries = @(
                        @{ path = 'etc/.wh.old'; content = '' }, @{ path = 'opt/.wh..wh..opq'; content = '' }, @{ path = 'opt/b'; content = 'b' }
                        @{ path = 'lib'; type = 'symlink'; linkname = 'usr/lib' }) }
            ) }
        $script:layout = New-LayerImage $spec -Path (Join-Path $TestDrive 'layout')
        $script:registry = Start-OciTestRegistry -Path $layout -Repository 'items/image'
        $script:ref = "$($registry.Host)/items/image:v1"
        $script:longPath = "/$long"
    }

    AfterAll { Stop-OciTestRegistry }

    It 'lists every entry of every layer, whiteouts as the paths they delete' {
        $items = Get-OciLayerItem $ref
        ($items | Where-Object LayerIndex -eq 1 | ForEach-Object { "$($_.Type) $($_.Path)" }) |
            Should -Be @('Whiteout /etc/old', 'OpaqueWhiteout /opt', 'File /opt/b', 'SymbolicLink /lib')
        $su = $items | Where-Object Path -eq '/bin/su'
        $su.Mode | Should -Be '-rwsr-xr-x'
        $su.ModeBits | Should -Be ([Convert]::ToInt32('4755', 8))
        ($items | Where-Object Path -eq '/bin/hard').LinkTarget | Should -Be '/bin/su'
        ($items | Where-Object Path -eq '/etc/passwd').UserName | Should -Be 'root'
        $items.Path | Should -Contain $longPath
        ($items | Select-Object -First 1).LayerDigest | Should -Be (Get-OciManifest $ref).Layers[0].Digest
    }

    It 'lists the final filesystem with -Flatten: whiteouts applied, sorted, each path once' {
        $paths = (Get-OciLayerItem $ref -Flatten).Path
        $paths | Should -Not -Contain '/etc/old'
        $paths | Should -Not -Contain '/opt/a'
        $paths | Should -Contain '/opt/b'
        $paths | Should -Be ($paths | Sort-Object -CaseSensitive { $_ } -Culture '') -Because 'the listing is sorted by path'
        ($paths | Group-Object | Where-Object Count -gt 1) | Should -BeNullOrEmpty
    }

    It 'picks layers by position or digest prefix, and says when one names none' {
        $top = (Get-OciManifest $ref).Layers[1].Digest
        (Get-OciLayerItem $ref -Layer -1).LayerIndex | Sort-Object -Unique | Should -Be 1
        (Get-OciLayerItem $ref -Layer $top.Substring(7, 10)).LayerIndex | Sort-Object -Unique | Should -Be 1
        Get-OciLayerItem $ref -Layer 5 -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'LayerSelectionInvalid')
    }

    It 'lists a layer descriptor piped from Get-OciManifest, and a piped manifest' {
        ((Get-OciManifest $ref).Layers[1] | Get-OciLayerItem).Path | Should -Contain '/opt/b'
        (Get-OciManifest $ref | Get-OciLayerItem -Flatten).Path | Should -Contain '/lib'
    }

    It 'fits the table view in 80 columns' {
        $lines = Get-OciLayerItem $ref -Layer 1 | Format-Table | Out-String -Width 80 -Stream | Where-Object { $_ }
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        ($lines -join "`n") | Should -Match '/lib -> usr/lib'
    }
}
