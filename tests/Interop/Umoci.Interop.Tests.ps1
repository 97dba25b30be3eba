# Expand-OciImage against umoci (the OCI reference unpacker): multi-layer images built entry by entry
# (Fixtures/New-LayerImage.py) are unpacked by both, and the trees compared file by file: paths, types, modes,
# contents, link targets, hard-link groups and modification times. The image is pulled three ways: from the test
# registry serving the layout, from Debian's docker-registry after skopeo copied it there, and from the layout
# itself (-LayoutPath). CI installs all the tools, so CI never skips these.
BeforeDiscovery {
    $script:missing = @('umoci', 'skopeo', 'docker-registry', 'python3', 'zstd', 'find') | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) }
    if ($missing) { Write-Warning "umoci interop tests skipped: $($missing -join ', ') not installed (apt-get install -y umoci skopeo docker-registry python3 zstd)." }
    # tree-zstd is tree with its third layer zstd: umoci 0.4 reads no zstd, so both are compared with umoci's tree.
    $script:cases = foreach ($image in 'tree', 'tree-zstd') {
        foreach ($source in 'test registry', 'docker-registry', 'layout') { @{ Image = $image; Source = $source } }
    }
}

Describe 'Expand-OciImage unpacks as umoci does' -Tag Interop -Skip:($missing.Count -gt 0) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot '../LayerImages.psm1') -Force
        Import-OciRegistryUnderTest

        # Four layers: gzip pax, uncompressed GNU, gzip or zstd pax, gzip ustar. Between them: whiteouts, an
        # opaque directory with same-layer content on both sides of its marker, hard links within a layer and to
        # a lower layer's file, symbolic links (relative, absolute, dangling, to a directory, with long targets),
        # names over 100 and 255 bytes in each tar format, setuid, setgid and sticky modes, a fractional mtime,
        # and entries that replace a directory and a symbolic link of a lower layer with a file.
        function Get-TreeSpec([string] $Third) {
            $d = { param($p, $m = '0755') @{ path = $p; type = 'dir'; mode = $m } }
            $f = { param($p, $c, $m = '0644') @{ path = $p; content = $c; mode = $m } }
            $deep = @('deep') + @(foreach ($c in 'a', 'b', 'c', 'd', 'e') { $c * 60 })
            $deepDirs = for ($i = 1; $i -le $deep.Count; $i++) { $deep[0..($i - 1)] -join '/' }
            $deepFile = ($deep -join '/') + '/file.txt'
            $ustarDir = 'u' * 90
            @{ tag = 'v1'; os = 'linux'; architecture = 'amd64'; layers = @(
                    @{ compression = 'gzip'; format = 'pax'; entries = @(
                            (& $d 'etc'), (& $f 'etc/hosts' "127.0.0.1 localhost`n"), (& $f 'etc/shadow' "root:*:19000::::::`n" '0640'),
                            (& $d 'usr'), (& $d 'usr/bin'),
                            @{ path = 'usr/bin/tool'; size = 5000; mode = '0755' },
                            @{ path = 'usr/bin/su'; size = 3000; mode = '4755' },
                            @{ path = 'usr/bin/wall'; size = 2000; mode = '2755' },
                            @{ path = 'usr/bin/tool-hard'; type = 'hardlink'; linkname = 'usr/bin/tool' },
                            (& $d 'usr/lib'), @{ path = 'usr/lib/data.bin'; size = 20000 },
                            (& $d 'tmp' '1777'), (& $d 'private' '0700'), (& $f 'private/key' 'k' '0600'),
                            (& $d 'opt'), (& $d 'opt/old'), (& $f 'opt/old/a.txt' 'lower a'), (& $d 'opt/old/sub'), (& $f 'opt/old/sub/b.txt' 'lower b'),
                            (& $d 'var'), (& $f 'var/gone.txt' 'gone'), (& $d 'var/gonedir'), (& $f 'var/gonedir/x' 'x'), (& $f 'var/kept.txt' 'kept'),
                            (& $d 'data'), (& $f 'data/orig.txt' 'original'),
                            (& $d 'swap'), (& $f 'swap/child' 'child'),
                            @{ path = 'bin'; type = 'symlink'; linkname = 'usr/bin' },
                            @{ path = 'etc/abs-tool'; type = 'symlink'; linkname = '/usr/bin/tool' },
                            @{ path = 'etc/rel-data'; type = 'symlink'; linkname = '../usr/lib/data.bin' },
                            @{ path = 'dangling'; type = 'symlink'; linkname = '/does/not/exist' },
                            @{ path = 'old-link'; type = 'symlink'; linkname = 'etc/hosts' },
                            (& $f 'readonly.txt' 'read only' '0444'),
                            @{ path = 'script.sh'; content = "#!/bin/sh`necho hi`n"; mode = '0755'; mtime = 1700000000.25 }
                        )
                    },
                    @{ compression = 'none'; format = 'gnu'; entries = @(
                            (& $f 'var/.wh.gone.txt' ''), (& $f 'var/.wh.gonedir' ''),
                            (& $f 'opt/old/new.txt' 'same layer, before the marker'),
                            (& $f 'opt/old/.wh..wh..opq' ''),
                            (& $d 'opt/old/newdir'), (& $f 'opt/old/newdir/c.txt' 'same layer, after the marker'),
                            @{ path = 'data/link-to-orig'; type = 'hardlink'; linkname = 'data/orig.txt' },
                            (& $f 'etc/hosts' "10.0.0.1 replaced`n"),
                            (& $d 'gnu'), (& $f ('gnu/' + 'g' * 120) 'gnu long name'),
                            @{ path = 'gnu/long-target'; type = 'symlink'; linkname = ('../gnu/' + 'g' * 120) }
                        )
                    },
                    @{ compression = $Third; format = 'pax'; entries = @(
                            @($deepDirs | ForEach-Object { & $d $_ }) + @(
                                (& $f $deepFile 'deep file'),
                                (& $f ('x' * 150) 'pax name over 100'),
                                @{ path = 'link-long'; type = 'symlink'; linkname = $deepFile },
                                @{ path = 'hard-long'; type = 'hardlink'; linkname = $deepFile },
                                (& $f 'unicode-é.txt' 'unicode'),
                                (& $f '.wh.old-link' ''),
                                @{ path = 'zeros.bin'; size = 100000; fill = 'zero' }
                            ))
                    },
                    @{ compression = 'gzip'; format = 'ustar'; entries = @(
                            (& $d $ustarDir), (& $f "$ustarDir/$('v' * 90)" 'ustar prefix'),
                            (& $f 'swap' 'a file where a directory was'),
                            (& $f 'etc/rel-data' 'a file where a symbolic link was')
                        )
                    }
                )
            }
        }

        function Invoke-Umoci([string] $Layout, [string] $Bundle) {
            $rootless = if ((& id -u) -ne '0') { @('--rootless') } else { @() }
            $output = & umoci unpack @rootless --image "${Layout}:v1" $Bundle 2>&1
            if ($LASTEXITCODE -ne 0) { throw "umoci unpack $Layout failed ($LASTEXITCODE): $output" }
            Join-Path $Bundle 'rootfs'
        }

        $images = Join-Path $TestDrive 'images'
        $script:layouts = @{
            'tree'      = New-LayerImage (Get-TreeSpec 'gzip') -Path (Join-Path $images 'tree')
            'tree-zstd' = New-LayerImage (Get-TreeSpec 'zstd') -Path (Join-Path $images 'tree-zstd')
            # Devices and a FIFO: umoci (as root) makes them, Expand-OciImage skips them with a warning.
            'specials'  = New-LayerImage @{ tag = 'v1'; layers = @(@{ compression = 'gzip'; entries = @(
                            @{ path = 'dev'; type = 'dir' }, @{ path = 'dev/null'; type = 'char'; devmajor = 1; devminor = 3; mode = '0666' },
                            @{ path = 'dev/loop9'; type = 'block'; devmajor = 7; devminor = 9; mode = '0660' },
                            @{ path = 'run'; type = 'dir' }, @{ path = 'run/pipe'; type = 'fifo'; mode = '0600' },
                            @{ path = 'run/file'; content = 'next to the pipe' }) })
                    } -Path (Join-Path $images 'specials')
        }
        $script:umoci = Invoke-Umoci $layouts['tree'] (Join-Path $TestDrive 'umoci-tree')
        $script:umociSpecials = Invoke-Umoci $layouts['specials'] (Join-Path $TestDrive 'umoci-specials')

        $script:ours = Start-OciTestRegistry -Path @($layouts.Values)
        $script:docker = Start-DockerRegistry
        foreach ($name in $layouts.Keys) {
            Invoke-Skopeo copy --quiet --preserve-digests --dest-tls-verify=false "oci:$($layouts[$name]):v1" "docker://$($docker.Host)/${name}:v1"
        }
        $script:manifestDigest = @{}
        foreach ($name in $layouts.Keys) {
            $script:manifestDigest[$name] = (Get-Content -Raw (Join-Path $layouts[$name] 'index.json') | ConvertFrom-Json).manifests[0].digest
        }

        # The arguments that name image $Image at $Source for Expand-OciImage.
        function Get-Source([string] $Image, [string] $Source) {
            switch ($Source) {
                'test registry' { @{ Reference = "$($ours.Host)/${Image}:v1" } }
                'docker-registry' { @{ Reference = "$($docker.Host)/${Image}:v1" } }
                'layout' { @{ Reference = 'v1'; LayoutPath = $layouts[$Image] } }
            }
        }
    }

    AfterAll {
        if ($script:docker) { $docker.Stop() }
        Stop-OciTestRegistry
    }

    It 'builds layouts that skopeo reads and umoci unpacks (the fixtures themselves)' {
        (Invoke-Skopeo inspect "oci:$($layouts['tree-zstd']):v1" | Out-String | ConvertFrom-Json).Layers.Count | Should -Be 4
        Test-Path -LiteralPath (Join-Path $umoci 'opt/old/newdir/c.txt') | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $umoci 'var/gone.txt') | Should -BeFalse
        # The comparisons below are only as good as this listing: it must hold the whole tree, setuid included.
        $listing = @(Get-TreeListing $umoci -WithLinkGroups)
        $listing.Count | Should -BeGreaterThan 40
        $listing | Where-Object { $_ -like "usr/bin/su`t*" } | Should -BeLike "usr/bin/su`tf`t4755`t*"
        $listing | Where-Object { $_ -like "data/link-to-orig`t*" } | Should -BeLike "*`tdata/link-to-orig"
    }

    Context '<Image> from the <Source>' -ForEach $cases {
        BeforeAll {
            $from = Get-Source $Image $Source
            $dest = Join-Path $TestDrive "$Image-$($Source -replace ' ', '-')"
            $result = Expand-OciImage @from -Destination $dest
        }

        It 'reports the image it unpacked' {
            $result.Digest | Should -Be $manifestDigest[$Image]
            $result.Destination | Should -Be $dest
            $result.Layers | Should -Be 4
            $result.Skipped | Should -Be 0
        }

        It 'writes the tree umoci writes, setuid and setgid dropped' {
            $theirs = Get-TreeListing $umoci -DropSetId -WithLinkGroups
            $mine = Get-TreeListing $dest -WithLinkGroups
            Compare-Object $theirs $mine -CaseSensitive | Out-String | Should -BeNullOrEmpty
            $mine | Should -Be $theirs
        }

        It 'keeps the sticky bit without -PreservePermissions' {
            (Get-TreeListing $dest) | Where-Object { $_ -like "tmp`t*" } | Should -BeLike "tmp`td`t1777`t*"
        }

        It 'sets the modification times umoci sets' {
            $theirs = Get-TreeListing $umoci -DropSetId -WithTime
            $mine = Get-TreeListing $dest -WithTime
            Compare-Object $theirs $mine -CaseSensitive | Out-String | Should -BeNullOrEmpty
        }

        It 'writes exactly the tree umoci writes with -PreservePermissions, setuid and setgid kept' {
            $exact = "$dest-preserved"
            $null = Expand-OciImage @from -Destination $exact -PreservePermissions
            $theirs = Get-TreeListing $umoci -WithLinkGroups -WithTime
            $mine = Get-TreeListing $exact -WithLinkGroups -WithTime
            Compare-Object $theirs $mine -CaseSensitive | Out-String | Should -BeNullOrEmpty
            $mine | Where-Object { $_ -like "usr/bin/su`t*" } | Should -BeLike "usr/bin/su`tf`t4755`t*"
        }
    }

    It 'takes the manifest digest as -Reference inside -LayoutPath' {
        $dest = Join-Path $TestDrive 'tree-by-digest'
        $result = Expand-OciImage -Reference $manifestDigest['tree'] -LayoutPath $layouts['tree'] -Destination $dest
        $result.Digest | Should -Be $manifestDigest['tree']
        Get-TreeListing $dest -WithLinkGroups | Should -Be (Get-TreeListing $umoci -DropSetId -WithLinkGroups)
    }

    It 'lists with Get-OciLayerItem -Flatten the paths umoci unpacks, from <_>' -ForEach @('tree', 'tree-zstd') {
        $expected = [string[]]@(Get-TreeListing $umoci | ForEach-Object { '/' + ($_ -split "`t")[0] })
        [Array]::Sort($expected, [StringComparer]::Ordinal)
        $listed = [string[]]@(Get-OciLayerItem "$($ours.Host)/${_}:v1" -Flatten | ForEach-Object Path)
        [Array]::Sort($listed, [StringComparer]::Ordinal)
        Compare-Object $expected $listed -CaseSensitive | Out-String | Should -BeNullOrEmpty
        $listed | Should -Be $expected
    }

    It 'lists with Get-OciLayerItem -Flatten the types and modes umoci unpacks' {
        $types = @{ File = 'f'; Directory = 'd'; SymbolicLink = 'l'; HardLink = 'f' }
        $items = Get-OciLayerItem "$($ours.Host)/tree:v1" -Flatten
        $byPath = @{}
        foreach ($item in $items) { $byPath[$item.Path] = $item }
        foreach ($line in Get-TreeListing $umoci) {
            $path, $type = ($line -split "`t")[0, 1]
            $item = $byPath['/' + $path]
            $types[[string]$item.Type] | Should -Be $type -Because "/$path is a $type in umoci's tree"
        }
        $byPath['/usr/bin/su'].Mode | Should -Be '-rwsr-xr-x'
        $byPath['/tmp'].Mode | Should -Be 'drwxrwxrwt'
        $byPath['/etc/abs-tool'].LinkTarget | Should -Be '/usr/bin/tool'
    }

    It 'skips devices and FIFOs with a warning, and writes the rest as umoci does, from the <_>' -ForEach @('test registry', 'layout') {
        $from = Get-Source 'specials' $_
        $dest = Join-Path $TestDrive "specials-$($_ -replace ' ', '-')"
        $result = Expand-OciImage @from -Destination $dest -WarningVariable warned -WarningAction SilentlyContinue
        $result.Skipped | Should -Be 3
        @($warned).Count | Should -BeGreaterOrEqual 1
        ($warned | Out-String) | Should -BeLike '*dev/null*'
        ($warned | Out-String) | Should -BeLike '*run/pipe*'
        $theirs = @(Get-TreeListing $umociSpecials | Where-Object { ($_ -split "`t")[1] -notin 'c', 'b', 'p' })
        @(Get-TreeListing $umociSpecials | Where-Object { ($_ -split "`t")[1] -in 'c', 'b', 'p' }).Count | Should -Be 3 -Because 'umoci made the devices and the FIFO'
        Get-TreeListing $dest | Should -Be $theirs
    }
}
