# Expand-OciImage against hostile layers, built entry by entry (Fixtures/New-LayerImage.py) and served by the test
# registry. Every case is set in a folder of its own holding the destination (absent, or present and -Force) and
# the decoys an attack aims at: a canary folder beside the destination, a "target" folder and a stand-in "etc"
# with a passwd file, which absolute names and links point to. A refused image must leave that folder exactly as it
# was: no destination, no staging folder, decoys untouched (content, mode, time, link count).
BeforeDiscovery {
    # Every hostile layer sits on a good one, so a half-done extraction would have something to leave behind.
    $good = @{ compression = 'gzip'; entries = @(
            @{ path = 'ok'; type = 'dir' }, @{ path = 'ok/a.txt'; content = 'good a' }, @{ path = 'ok/b.bin'; size = 4096 }) }
    $layer = { param([object[]] $Entries, [string] $Compression = 'gzip') @{ compression = $Compression; entries = $Entries } }
    $file = { param([string] $Path, [string] $Content = 'pwned') @{ path = $Path; content = $Content } }
    $symlink = { param([string] $Path, [string] $Target) @{ path = $Path; type = 'symlink'; linkname = $Target } }
    $hardlink = { param([string] $Path, [string] $Target) @{ path = $Path; type = 'hardlink'; linkname = $Target } }
    # 80 files of 1 MiB of zeros: each under the limit, together over it, and a few hundred KiB compressed.
    $bomb = @(1..80 | ForEach-Object { @{ path = "bomb/$_.bin"; size = 1MB; fill = 'zero' } })
    $bomb = @(@{ path = 'bomb'; type = 'dir' }) + $bomb

    # @ROOT@ is the case's folder, an absolute path: the decoys are @ROOT@/target, @ROOT@/etc and @ROOT@/canary.
    $script:cases = @(
        @{ Name = 'an absolute path'; ErrorId = 'UnsafeLayerEntry'; Layers = @($good, (& $layer @((& $file 'ok/c.txt'), (& $file '@ROOT@/target/pwned')))) }
        @{ Name = 'a leading .. component'; ErrorId = 'UnsafeLayerEntry'; Layers = @($good, (& $layer @((& $file '../target/pwned')))) }
        @{ Name = 'a .. component inside the path'; ErrorId = 'UnsafeLayerEntry'; Layers = @($good, (& $layer @((& $file 'ok/../../target/pwned')))) }
        @{ Name = 'a NUL in a pax path'; ErrorId = 'UnsafeLayerEntry'; Layers = @($good, (& $layer @((& $file "ok/pwned`0../../target/pwned")))) }
        @{ Name = 'a path through a symbolic link the same layer planted'; ErrorId = 'UnsafeLayerEntry'
            Layers = @($good, (& $layer @((& $symlink 'escape' '../target'), (& $file 'escape/pwned')))) }
        @{ Name = 'a path through an absolute symbolic link the same layer planted'; ErrorId = 'UnsafeLayerEntry'
            Layers = @($good, (& $layer @((& $symlink 'escape' '@ROOT@/target'), (& $file 'escape/pwned')))) }
        @{ Name = 'a path through a symbolic link a lower layer planted'; ErrorId = 'UnsafeLayerEntry'
            Layers = @($good, (& $layer @((& $symlink 'ok/escape' '../../target'))), (& $layer @((& $file 'ok/escape/pwned')))) }
        @{ Name = 'a link to etc, then link/passwd'; ErrorId = 'UnsafeLayerEntry'
            Layers = @($good, (& $layer @((& $symlink 'link' '@ROOT@/etc'), (& $file 'link/passwd' 'root::0:0::/:/bin/sh')))) }
        @{ Name = 'a link to etc in a lower layer, then link/passwd'; ErrorId = 'UnsafeLayerEntry'
            Layers = @($good, (& $layer @((& $symlink 'link' '@ROOT@/etc'))), (& $layer @((& $file 'link/passwd' 'root::0:0::/:/bin/sh')) 'none')) }
        @{ Name = 'a chain of links that ends outside'; ErrorId = 'UnsafeLayerEntry'
            Layers = @($good, (& $layer @((& $symlink 'ok/one' 'two'), (& $symlink 'ok/two' '../../target'), (& $file 'ok/one/pwned')))) }
        @{ Name = 'a hard link to a file outside (../etc/passwd)'; ErrorId = 'UnsafeLayerEntry'
            Layers = @($good, (& $layer @((& $hardlink 'ok/passwd' '../etc/passwd'), (& $file 'ok/passwd' 'root::0:0::/:/bin/sh')))) }
        @{ Name = 'a hard link to an absolute path'; ErrorId = 'UnsafeLayerEntry'
            Layers = @($good, (& $layer @((& $hardlink 'ok/secret' '@ROOT@/target/secret')))) }
        @{ Name = 'a hard link through a planted symbolic link'; ErrorId = 'UnsafeLayerEntry'
            Layers = @($good, (& $layer @((& $symlink 'link' '@ROOT@/etc'), (& $hardlink 'ok/passwd' 'link/passwd')))) }
        @{ Name = 'a hard link to a file not extracted yet'; ErrorId = 'UnsafeLayerEntry'
            Layers = @($good, (& $layer @((& $hardlink 'ok/early' 'ok/later'), (& $file 'ok/later' 'later')))) }
        @{ Name = 'a gzip decompression bomb'; ErrorId = 'LayerLimitExceeded'; MaximumSize = 64MB; Layers = @($good, (& $layer $bomb 'gzip')) }
        @{ Name = 'a zstd decompression bomb'; ErrorId = 'LayerLimitExceeded'; MaximumSize = 64MB; Layers = @($good, (& $layer $bomb 'zstd')) }
        @{ Name = 'a header claiming 8 GiB'; ErrorId = 'LayerLimitExceeded'; MaximumSize = 64MB; Layers = @($good, @{ compression = 'gzip'; raw = 'huge-size-header' }) }
        @{ Name = 'a 64 KiB pax path'; ErrorId = 'LayerFormatInvalid'; Layers = @($good, @{ compression = 'gzip'; raw = 'long-pax-path' }) }
        @{ Name = 'a GNU sparse file'; ErrorId = 'LayerFormatInvalid'; Layers = @($good, @{ compression = 'gzip'; raw = 'sparse' }) }
        @{ Name = 'a PAX 1.0 sparse file'; ErrorId = 'LayerFormatInvalid'; Layers = @($good, @{ compression = 'gzip'; raw = 'sparse-pax' }) }
        @{ Name = 'a truncated tar'; ErrorId = 'LayerFormatInvalid'; Layers = @($good, @{ compression = 'gzip'; entries = @((& $file 'ok/c.txt')); raw = 'truncated' }) }
        @{ Name = 'an unknown layer media type'; ErrorId = 'UnsupportedLayerMediaType'
            Layers = @($good, @{ compression = 'gzip'; mediaType = 'application/vnd.example.layer.v1.tar+lz4'; entries = @((& $file 'ok/c.txt')) }) }
        @{ Name = 'an encrypted layer'; ErrorId = 'UnsupportedLayerMediaType'
            Layers = @($good, @{ compression = 'gzip'; mediaType = 'application/vnd.oci.image.layer.v1.tar+gzip+encrypted'; entries = @((& $file 'ok/c.txt')) }) }
        # The test registry will not serve a blob that does not match its digest (404), so this one is read from the layout.
        @{ Name = 'a layer whose bytes do not match its digest'; ErrorId = 'BlobDigestMismatch'; Corrupt = 1; FromLayout = $true
            Layers = @($good, (& $layer @((& $file 'ok/c.txt' ('c' * 2000)), (& $file 'ok/d.txt' 'd')) 'none')) }
    )
    # The same with a destination already there and -Force: it must be left as it was.
    $script:existing = @($cases | Where-Object { $_.Name -in @(
                'an absolute path', 'a path through a symbolic link a lower layer planted', 'a hard link to a file outside (../etc/passwd)',
                'a gzip decompression bomb', 'a truncated tar', 'a layer whose bytes do not match its digest') })
}

Describe 'Expand-OciImage refuses hostile layers and leaves nothing behind' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot 'LayerImages.psm1') -Force
        Import-OciRegistryUnderTest
        $script:count = 0

        # A fresh case folder with the decoys, and the destination inside it (created with a file when -Existing).
        function New-Case([switch] $Existing) {
            $script:count++
            $root = Join-Path $TestDrive "case$count"
            foreach ($folder in 'canary', 'target', 'etc') { $null = New-Item -ItemType Directory -Force (Join-Path $root $folder) }
            Set-Content -LiteralPath (Join-Path $root 'canary/canary.txt') 'tweet'
            Set-Content -LiteralPath (Join-Path $root 'target/secret') 'the secret'
            Set-Content -LiteralPath (Join-Path $root 'etc/passwd') 'root:x:0:0:root:/root:/bin/bash'
            $dest = Join-Path $root 'dest'
            if ($Existing) {
                $null = New-Item -ItemType Directory $dest
                Set-Content -LiteralPath (Join-Path $dest 'keep.txt') 'was here before'
            }
            # Times a second back, so a write (or a touch) shows in the listing.
            Get-ChildItem -LiteralPath $root -Recurse -Force | ForEach-Object { $_.LastWriteTimeUtc = [datetime]::UtcNow.AddSeconds(-60) }
            [pscustomobject]@{ Root = $root; Destination = $dest; Before = (Get-TreeListing $root -WithLinkGroups -WithTime)
                Names = @(Get-ChildItem -LiteralPath $root -Force -Name | Sort-Object) }
        }

        # Builds the case's image (@ROOT@ replaced by its folder), corrupts a layer if asked, and returns the
        # arguments that name it: the test registry serving the layout, or the layout itself.
        function New-CaseImage($Case, [object[]] $Layers, [int] $Corrupt = -1, [switch] $FromLayout) {
            $json = (@{ layers = $Layers } | ConvertTo-Json -Depth 12).Replace('@ROOT@', $Case.Root.Replace('\', '\\'))
            $spec = @{ tag = 'v1'; layers = ($json | ConvertFrom-Json -AsHashtable).layers }
            $layout = New-LayerImage $spec -Path (Join-Path $TestDrive "layouts/$(Split-Path -Leaf $Case.Root)")
            if ($Corrupt -ge 0) {
                # One byte of file content (past the first header), so the tar stays readable and only the digest fails.
                $blob = Get-LayerImageBlob $layout -Index $Corrupt
                $bytes = [IO.File]::ReadAllBytes($blob)
                $bytes[700] = $bytes[700] -bxor 0xff
                [IO.File]::WriteAllBytes($blob, $bytes)
            }
            if ($FromLayout) { return @{ Reference = 'v1'; LayoutPath = $layout } }
            $served = Start-OciTestRegistry -Path $layout -Repository 'hostile/image'
            @{ Reference = "$($served.Host)/hostile/image:v1" }
        }

        function Invoke-Expand([hashtable] $From, [string] $Destination, [hashtable] $Extra = @{}) {
            try { $null = Expand-OciImage @From -Destination $Destination @Extra -ErrorAction Stop -WarningAction SilentlyContinue; return $null }
            catch { return $_ }
        }

        function Assert-Untouched($Case) {
            @(Get-ChildItem -LiteralPath $Case.Root -Force -Name | Sort-Object) | Should -Be $Case.Names -Because 'no staging folder or stray file may be left beside the destination'
            $after = Get-TreeListing $Case.Root -WithLinkGroups -WithTime
            Compare-Object $Case.Before $after -CaseSensitive | Out-String | Should -BeNullOrEmpty
            (Get-Content -Raw -LiteralPath (Join-Path $Case.Root 'etc/passwd')) | Should -BeLike 'root:x:0:0:*'
        }
    }

    AfterEach { Stop-OciTestRegistry }

    It 'extracts the good layer alone, the harness itself' {
        $case = New-Case
        $from = New-CaseImage $case @(@{ compression = 'gzip'; entries = @(@{ path = 'ok'; type = 'dir' }, @{ path = 'ok/a.txt'; content = 'good a' }) })
        $failure = Invoke-Expand $from $case.Destination @{ MaximumSize = 64MB }
        $failure | Should -BeNullOrEmpty
        Get-Content -Raw -LiteralPath (Join-Path $case.Destination 'ok/a.txt') | Should -Be 'good a'
    }

    It 'refuses <Name> with <ErrorId>' -ForEach $cases {
        $case = New-Case
        $from = New-CaseImage $case $Layers -Corrupt ($_['Corrupt'] ?? -1) -FromLayout:([bool]$_['FromLayout'])
        $extra = if ($_['MaximumSize']) { @{ MaximumSize = $_['MaximumSize'] } } else { @{} }
        $failure = Invoke-Expand $from $case.Destination $extra
        $failure | Should -Not -BeNullOrEmpty -Because 'the image must be refused'
        $failure.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        Test-Path -LiteralPath $case.Destination | Should -BeFalse
        Assert-Untouched $case
    }

    It 'refuses <Name> and leaves an existing destination as it was, with -Force' -ForEach $existing {
        $case = New-Case -Existing
        $from = New-CaseImage $case $Layers -Corrupt ($_['Corrupt'] ?? -1) -FromLayout:([bool]$_['FromLayout'])
        $extra = @{ Force = $true }
        if ($_['MaximumSize']) { $extra.MaximumSize = $_['MaximumSize'] }
        $failure = Invoke-Expand $from $case.Destination $extra
        $failure.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        Get-Content -Raw -LiteralPath (Join-Path $case.Destination 'keep.txt') | Should -Be "was here before$([Environment]::NewLine)"
        Assert-Untouched $case
    }

    It 'refuses a hostile layer read with -LayoutPath as from a registry' {
        $case = New-Case
        $from = New-CaseImage $case @(@{ compression = 'gzip'; entries = @(@{ path = 'escape'; type = 'symlink'; linkname = '@ROOT@/target' }, @{ path = 'escape/pwned'; content = 'pwned' }) }) -FromLayout
        (Invoke-Expand $from $case.Destination).FullyQualifiedErrorId | Should -BeLike 'UnsafeLayerEntry,*'
        Assert-Untouched $case
    }

    It 'with -SkipUnsafeEntries, warns for each unsafe entry and extracts the rest' {
        $case = New-Case
        $from = New-CaseImage $case @(
            @{ compression = 'gzip'; entries = @(
                    @{ path = 'ok'; type = 'dir' }, @{ path = 'ok/a.txt'; content = 'good a' },
                    @{ path = '../target/pwned'; content = 'pwned' },
                    @{ path = '@ROOT@/target/absolute'; content = 'pwned' },
                    @{ path = 'escape'; type = 'symlink'; linkname = '../target' },
                    @{ path = 'escape/through'; content = 'pwned' },
                    @{ path = 'ok/passwd'; type = 'hardlink'; linkname = '../etc/passwd' },
                    @{ path = 'after.txt'; content = 'after the unsafe ones' }) },
            @{ compression = 'none'; entries = @(@{ path = 'escape/again'; content = 'pwned' }, @{ path = 'upper.txt'; content = 'upper' }) })
        $result = Expand-OciImage @from -Destination $case.Destination -SkipUnsafeEntries -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop
        @($warned).Count | Should -Be 5
        $text = $warned | Out-String
        foreach ($name in '../target/pwned', 'escape/through', 'ok/passwd', 'escape/again') { $text | Should -BeLike "*$name*" }
        $paths = @(Get-TreeListing $case.Destination | ForEach-Object { ($_ -split "`t")[0] })
        $paths | Should -Be @('after.txt', 'escape', 'ok', 'ok/a.txt', 'upper.txt')
        Get-Content -Raw -LiteralPath (Join-Path $case.Destination 'after.txt') | Should -Be 'after the unsafe ones'
        (Get-Item -LiteralPath (Join-Path $case.Destination 'escape')).LinkTarget | Should -Be '../target'
        # Only the destination is new beside the decoys, and the decoys are as they were.
        @(Get-ChildItem -LiteralPath $case.Root -Force -Name | Sort-Object) | Should -Be @(@($case.Names) + 'dest' | Sort-Object)
        $after = Get-TreeListing $case.Root -WithLinkGroups -WithTime | Where-Object { $_ -notlike 'dest*' }
        Compare-Object $case.Before $after -CaseSensitive | Out-String | Should -BeNullOrEmpty
        $result.Skipped | Should -Be 5 -Because 'the result counts the entries passed over'
    }

    Context 'names only Windows refuses' {
        BeforeAll {
            $script:windowsNames = @('CON', 'aux.txt', 'back\slash.txt', 'C:evil', 'trailing.', 'ok/NUL', 'ok/spaces ')
            $script:windowsLayers = @(@{ compression = 'gzip'; entries = @(@(@{ path = 'ok'; type = 'dir' }) + @($windowsNames | ForEach-Object { @{ path = $_; content = "named $_" } })) })
        }

        It 'extracts CON, aux.txt, backslashes, C: and trailing dots as ordinary names on Linux' -Skip:(-not $IsLinux) {
            $case = New-Case
            $from = New-CaseImage $case $windowsLayers
            $result = Expand-OciImage @from -Destination $case.Destination -ErrorAction Stop
            $result | Should -Not -BeNullOrEmpty
            $paths = [string[]]@(Get-TreeListing $case.Destination | ForEach-Object { ($_ -split "`t")[0] })
            $expected = [string[]]@(@('ok') + $windowsNames)
            [Array]::Sort($expected, [StringComparer]::Ordinal)
            $paths | Should -Be $expected
            # .NET, not Get-Content: PowerShell would read the backslash in a name as a separator.
            foreach ($name in $windowsNames) { [IO.File]::ReadAllText("$($case.Destination)/$name") | Should -Be "named $name" }
        }

        It 'refuses them on Windows' -Skip:(-not $IsWindows) {
            $case = New-Case
            $from = New-CaseImage $case $windowsLayers
            (Invoke-Expand $from $case.Destination).FullyQualifiedErrorId | Should -BeLike 'UnsafeLayerEntry,*'
            Assert-Untouched $case
        }
    }
}
