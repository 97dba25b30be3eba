# Get-OciImageFile against images the tests build (Fixtures/New-LayerImage.py), served by the test registry.
Describe 'Get-OciImageFile' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot 'LayerImages.psm1') -Force
        Import-OciRegistryUnderTest
        $script:id = { param($name) "$name,OciRegistry.Commands.GetOciImageFileCommand" }
        # Three layers: a large base (random bytes, so gzip cannot shrink it), a middle one, a small top one.
        $spec = @{ tag = 'v1'; layers = @(
                @{ compression = 'gzip'; entries = @(
                        @{ path = 'usr'; type = 'dir' }, @{ path = 'usr/bin'; type = 'dir' }, @{ path = 'usr/bin/big'; size = 4MB }
                        @{ path = 'usr/local/bin/tool'; content = "old`n"; mode = '0755' }
                        @{ path = 'etc/os-release'; content = "ID=test`nVERSION_ID=1`n" }
                        @{ path = 'etc/gone'; content = 'gone' }, @{ path = 'bin'; type = 'symlink'; linkname = 'usr/bin' }
                        @{ path = 'etc/ssl/a.pem'; content = 'a' }, @{ path = 'etc/ssl/sub/b.pem'; content = 'b' }) }
                @{ compression = 'zstd'; entries = @(@{ path = 'usr/bin/mid'; size = 1MB }, @{ path = 'etc/.wh.gone'; content = '' }) }
                @{ compression = 'none'; entries = @(
                        @{ path = 'usr/local/bin/tool'; content = "#!/bin/sh`necho 1.4`n"; mode = '0755' }
                        @{ path = 'usr/local/bin/current'; type = 'symlink'; linkname = 'tool' }
                        @{ path = 'etc/escape'; type = 'symlink'; linkname = '../../../../etc/os-release' }) }
            ) }
        $script:layout = New-LayerImage $spec -Path (Join-Path $TestDrive 'layout')
        $script:registry = Start-OciTestRegistry -Path $layout -Repository 'tools/tool'
        $script:ref = "$($registry.Host)/tools/tool:v1"
        $script:blobBytes = {
            @(Get-OciTestRegistryRequest $registry | Where-Object { $_.Method -eq 'GET' -and $_.Path -like '*/blobs/*' } |
                Measure-Object -Property BytesSent -Sum).Sum
        }
    }

    AfterAll { Stop-OciTestRegistry }
    BeforeEach { Clear-OciTestRegistryRequest $registry }

    It 'reads a file of the top layer with fewer bytes than the image (the request log shows it)' {
        $image = ((Get-OciManifest $ref).Layers.Size | Measure-Object -Sum).Sum
        Clear-OciTestRegistryRequest $registry
        $lines = Get-OciImageFile $ref -Path /usr/local/bin/tool
        $lines | Should -Be @('#!/bin/sh', 'echo 1.4')
        $sent = & $blobBytes
        $sent | Should -BeLessThan ($image / 4) -Because "one small top layer is enough, not the $image bytes of all layers"
        @(Get-OciTestRegistryRequest $registry | Where-Object { $_.Path -like '*/blobs/*' }).Count | Should -Be 1
    }

    It 'writes the binary into -Destination with its mode, and returns its FileInfo' {
        $bin = Join-Path $TestDrive 'bin'
        $file = Get-OciImageFile $ref -Path /usr/local/bin/current -Destination $bin
        $file | Should -BeOfType System.IO.FileInfo
        $file.Name | Should -Be 'current'
        Get-Content -Raw -LiteralPath $file.FullName | Should -Be "#!/bin/sh`necho 1.4`n"
        if (-not $IsWindows) { (& stat -c %a $file.FullName) | Should -Be '755' }
        @(Get-ChildItem -Force -LiteralPath $bin -Name) | Should -Be @('current') -Because 'no partial file is left'
    }

    It 'follows links inside the image root only, even when they climb past it' {
        Get-OciImageFile $ref -Path /etc/escape -Raw | Should -Be "ID=test`nVERSION_ID=1`n"
        Get-OciImageFile $ref -Path /bin/big -AsByteStream | ForEach-Object Length | Should -Be 4MB
    }

    It 'does not find a file a whiteout deleted' {
        Get-OciImageFile $ref -Path /etc/gone -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'ImageFileNotFound')
    }

    It 'matches wildcards one component at a time' {
        $names = Get-OciImageFile $ref -Path '/usr/bin/*' -Destination (Join-Path $TestDrive 'glob') | ForEach-Object Name | Sort-Object
        $names | Should -Be @('big', 'mid')
    }

    It 'brings a folder with -Recurse, keeping its structure, and refuses it without' {
        $out = Join-Path $TestDrive 'ssl'
        $null = Get-OciImageFile $ref -Path /etc/ssl -Recurse -Destination $out
        (Get-ChildItem -Recurse -File -LiteralPath $out | ForEach-Object { [IO.Path]::GetRelativePath($out, $_.FullName) -replace '\\', '/' } | Sort-Object) |
            Should -Be @('ssl/a.pem', 'ssl/sub/b.pem')
        Get-OciImageFile $ref -Path /etc/ssl -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'ImageFileNotFound')
    }

    It 'leaves an existing file alone without -Force, and replaces it (not through a link) with it' {
        $out = Join-Path $TestDrive 'existing'
        $null = New-Item -ItemType Directory $out
        $outside = Join-Path $TestDrive 'outside.txt'
        Set-Content -LiteralPath $outside 'outside'
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $out 'os-release') -Target $outside
        Get-OciImageFile $ref -Path /etc/os-release -Destination $out -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'DestinationNotEmpty')
        $null = Get-OciImageFile $ref -Path /etc/os-release -Destination $out -Force
        Get-Content -Raw -LiteralPath $outside | Should -Be "outside$([Environment]::NewLine)"
        (Get-Item -LiteralPath (Join-Path $out 'os-release')).LinkType | Should -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf' {
        $out = Join-Path $TestDrive 'whatif'
        Get-OciImageFile $ref -Path /etc/os-release -Destination $out -WhatIf
        Test-Path -LiteralPath $out | Should -BeFalse
        @(Get-OciTestRegistryRequest $registry).Count | Should -Be 0
    }

    It 'reads from a layout with no registry, and from a registry with a verified -Cache' {
        Get-OciImageFile -LayoutPath $layout -Reference v1 -Path /etc/os-release -Raw | Should -Be "ID=test`nVERSION_ID=1`n"
        Clear-OciTestRegistryRequest $registry
        Get-OciImageFile $ref -Path /usr/bin/big -Cache $layout -AsByteStream | ForEach-Object Length | Should -Be 4MB
        (& $blobBytes) | Should -BeNullOrEmpty -Because 'every layer came from the cache'
    }
}
