Describe 'Save-OciBlob' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:repo = "$($registry.Host)/samples/hello"
        $script:id = { param($name) "$name,OciRegistry.Commands.SaveOciBlobCommand" }

        # A larger blob, to see resumes and ranges: 3 MiB of a repeating, non-trivial pattern.
        $script:bigBytes = [byte[]]::new(3MB)
        [System.Random]::new(7).NextBytes($bigBytes)
        $script:bigDigest = $registry.AddBlob('edge/blobs', $bigBytes)

        # A manifest whose layer titles try to escape the destination.
        $layers = foreach ($title in @('../escape.txt', '/etc/passwd-copy', 'C:\windows\x', 'CON.txt', 'dir/nested.txt', 'fine.txt')) {
            $bytes = [Text.Encoding]::UTF8.GetBytes("content of $title")
            $digest = $registry.AddBlob('edge/titles', $bytes)
            @{ mediaType = 'text/plain'; digest = $digest; size = $bytes.Length; annotations = @{ 'org.opencontainers.image.title' = $title } }
        }
        $configDigest = $registry.AddBlob('edge/titles', [Text.Encoding]::UTF8.GetBytes('{}'))
        $manifest = @{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.manifest.v1+json'; artifactType = 'text/plain'
            config = @{ mediaType = 'application/vnd.oci.empty.v1+json'; digest = $configDigest; size = 2 }; layers = @($layers) } | ConvertTo-Json -Depth 6
        $null = $registry.AddManifest('edge/titles', [Text.Encoding]::UTF8.GetBytes($manifest), 'application/vnd.oci.image.manifest.v1+json', 'hostile')
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    It 'writes the files in manifest order, config first, whichever download ends first' {
        $dest = Join-Path $TestDrive 'in-order'
        $ordered = Start-OciTestRegistry -SampleContent
        try {
            $image = Get-OciManifest "$($ordered.Host)/samples/hello:1.0" -Platform linux/amd64
            New-OciTestRegistryFault Delay -Delay 1 -Path "/v2/samples/hello/blobs/$($image.Config.Digest)" -Method GET | Add-OciTestRegistryFault $ordered
            $files = @($image | Save-OciBlob -Destination $dest)
            $files.Digest | Should -Be @($image.Config.Digest; $image.Layers.Digest)
            $log = @(Get-OciTestRegistryRequest $ordered -Method GET -Path '/v2/samples/hello/blobs/*')
            $log[-1].Path | Should -BeLike "*$($image.Config.Digest)" -Because 'the config was asked for first but answered last'
        }
        finally { $ordered | Stop-OciTestRegistry }
    }

    It 'saves config and layers of a piped manifest, named by digest, verified' {
        $dest = Join-Path $TestDrive 'by-digest'
        $manifest = Get-OciManifest "${repo}:1.0" -Platform linux/amd64
        $files = $manifest | Save-OciBlob -Destination $dest
        @($files).Count | Should -Be 2
        foreach ($file in $files) {
            $file | Should -BeOfType ([System.IO.FileInfo])
            $file.Name | Should -Be ($file.Digest -replace ':', '-')
            'sha256:' + (Get-FileHash $file.FullName -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $file.Digest
        }
        Get-ChildItem $dest -Filter '*.partial*' | Should -BeNullOrEmpty
    }

    It 'saves one blob by reference and digest to -OutFile' {
        $path = Join-Path $TestDrive 'one.bin'
        $file = Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile $path
        $file.FullName | Should -Be $path
        $file.Length | Should -Be 3MB
        $file.Attempts | Should -Be 1
        (Save-OciBlob "$($registry.Host)/edge/blobs@$bigDigest" -OutFile $path).AlreadyPresent | Should -BeTrue
    }

    It 'names files by title with -UseTitle and refuses hostile titles without writing outside' {
        $dest = Join-Path $TestDrive 'titles'
        $err = $null
        $files = Get-OciManifest "$($registry.Host)/edge/titles:hostile" | Save-OciBlob -Destination $dest -UseTitle -ErrorAction SilentlyContinue -ErrorVariable err
        @($err | Where-Object { $_.FullyQualifiedErrorId -eq (& $id 'UnsafeTitle') }).Count | Should -Be 5
        ($files | Where-Object Name -eq 'fine.txt') | Should -Not -BeNullOrEmpty
        Test-Path (Join-Path $TestDrive 'escape.txt') | Should -BeFalse
        Test-Path '/etc/passwd-copy' | Should -BeFalse
        @(Get-ChildItem -Recurse $dest -File).Name | Sort-Object | Should -Be @('fine.txt', (@($files | Where-Object Name -ne 'fine.txt').Name)) 
    }

    It 'refuses an index piped in, pointing at -Platform, instead of saving the index document' {
        $dest = Join-Path $TestDrive 'index'
        $err = $null
        Get-OciManifest "${repo}:1.0" | Save-OciBlob -Destination $dest -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be (& $id 'IndexNeedsPlatform')
        Test-Path $dest | Should -BeFalse
    }

    It 'refuses two different blobs with one title instead of dropping one' {
        $one = [Text.Encoding]::UTF8.GetBytes('first')
        $two = [Text.Encoding]::UTF8.GetBytes('second')
        $d1 = $registry.AddBlob('edge/dupes', $one)
        $d2 = $registry.AddBlob('edge/dupes', $two)
        $blobs = @(
            [pscustomobject]@{ Reference = "$($registry.Host)/edge/dupes"; Digest = $d1; Size = $one.Length; Title = 'same.txt' }
            [pscustomobject]@{ Reference = "$($registry.Host)/edge/dupes"; Digest = $d2; Size = $two.Length; Title = 'same.txt' }
        )
        $err = $null
        $files = $blobs | Save-OciBlob -Destination (Join-Path $TestDrive 'dupes') -UseTitle -ErrorAction SilentlyContinue -ErrorVariable err
        @($files).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be (& $id 'TargetConflict')
    }

    It 'emits one file per blob even when many finish at once' {
        $blobs = foreach ($i in 1..8) {
            $bytes = [Text.Encoding]::UTF8.GetBytes("small blob $i")
            [pscustomobject]@{ Reference = "$($registry.Host)/edge/many"; Digest = $registry.AddBlob('edge/many', $bytes); Size = $bytes.Length }
        }
        foreach ($round in 1..25) {
            $dest = Join-Path $TestDrive "many-$round"
            @($blobs | Save-OciBlob -Destination $dest -ThrottleLimit 8).Count | Should -Be 8 -Because "round $round"
        }
    }

    It 'takes the blob and the destination by position' {
        $dest = Join-Path $TestDrive 'positional'
        $file = Save-OciBlob "$($registry.Host)/edge/blobs@$bigDigest" $dest
        $file.DirectoryName | Should -Be $dest
        $file.Name | Should -Be ($bigDigest -replace ':', '-')
    }

    It 'resumes from a partial file left by an earlier run, fetching only the rest' {
        $path = Join-Path $TestDrive 'resumed.bin'
        [IO.File]::WriteAllBytes("$path.partial", $bigBytes[0..(1MB - 1)])
        @{ digest = $bigDigest; size = $bigBytes.Length } | ConvertTo-Json | Set-Content "$path.partial.json"
        $file = Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile $path
        $file.Resumed | Should -BeTrue
        $file.ResumedFrom | Should -Be 1MB
        $file.BytesDownloaded | Should -Be 2MB
        Test-Path "$path.partial" | Should -BeFalse
        Test-Path "$path.partial.json" | Should -BeFalse
        'sha256:' + (Get-FileHash $path -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $bigDigest
    }

    It 'does not trust a partial file whose sidecar names another blob' {
        $path = Join-Path $TestDrive 'stranger.bin'
        [IO.File]::WriteAllBytes("$path.partial", [byte[]]::new(1MB))
        @{ digest = 'sha256:' + ('0' * 64); size = $bigBytes.Length } | ConvertTo-Json | Set-Content "$path.partial.json"
        $file = Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile $path
        $file.Resumed | Should -BeFalse
        $file.BytesDownloaded | Should -Be 3MB
    }

    It 'a corrupted partial file never reaches the final path' {
        $path = Join-Path $TestDrive 'corrupt-partial.bin'
        $bad = [byte[]]::new(1MB)   # zeros: not the blob's first megabyte
        [IO.File]::WriteAllBytes("$path.partial", $bad)
        @{ digest = $bigDigest; size = $bigBytes.Length } | ConvertTo-Json | Set-Content "$path.partial.json"
        { Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile $path -ErrorAction Stop } |
            Should -Throw -ErrorId (& $id 'BlobDigestMismatch')
        Test-Path $path | Should -BeFalse
        Test-Path "$path.partial" | Should -BeFalse
    }

    It 'refuses to replace a different file without -Force, and replaces it with -Force' {
        $path = Join-Path $TestDrive 'existing.bin'
        Set-Content $path 'something else'
        { Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile $path -ErrorAction Stop } |
            Should -Throw -ErrorId (& $id 'BlobTargetExists')
        (Get-Content $path) | Should -Be 'something else'
        (Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile $path -Force).Length | Should -Be 3MB
    }

    It 'writes nothing with -WhatIf' {
        $dest = Join-Path $TestDrive 'whatif'
        Get-OciManifest "${repo}:docker" | Save-OciBlob -Destination $dest -WhatIf
        Test-Path $dest | Should -BeFalse
    }

    It 'reports an unknown blob as BlobNotFound and carries on' {
        $dest = Join-Path $TestDrive 'mixed'
        $err = $null
        $missing = [pscustomobject]@{ Reference = "$($registry.Host)/edge/blobs"; Digest = 'sha256:' + ('a' * 64); Size = 10 }
        $present = [pscustomobject]@{ Reference = "$($registry.Host)/edge/blobs"; Digest = $bigDigest; Size = 3MB }
        $files = $missing, $present | Save-OciBlob -Destination $dest -ErrorAction SilentlyContinue -ErrorVariable err
        @($files).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be (& $id 'BlobNotFound')
        Test-Path (Join-Path $dest ('sha256-' + ('a' * 64))) | Should -BeFalse
    }

    It 'refuses a blob larger than its descriptor says' {
        $path = Join-Path $TestDrive 'short.bin'
        { Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -Size 1MB -OutFile $path -ErrorAction Stop } |
            Should -Throw -ErrorId (& $id 'BlobDigestMismatch')
        Test-Path $path | Should -BeFalse
    }

    It 'refuses titles that are working-file names, so no saved file holds other bytes than its digest' {
        # 'report' downloads through 'report.partial' and 'data' through 'data.partial.json': blobs titled so
        # must not share those files. The sidecar-shaped blob even names 'data''s digest, to be trusted as a sidecar.
        $report = [byte[]]::new(2MB); [System.Random]::new(11).NextBytes($report)
        $data = [byte[]]::new(1MB); [System.Random]::new(12).NextBytes($data)
        $dataDigest = Get-Sha256Digest $data
        $contents = [ordered]@{
            'report.partial'    = [byte[]]::new(700)
            'data.partial.json' = [Text.Encoding]::UTF8.GetBytes("{`"digest`":`"$dataDigest`",`"size`":$($data.Length)}")
            'report'            = $report
            'data'              = $data
        }
        $layers = foreach ($title in $contents.Keys) {
            @{ mediaType = 'application/octet-stream'; digest = $registry.AddBlob('edge/working', $contents[$title]); size = $contents[$title].Length
                annotations = @{ 'org.opencontainers.image.title' = $title } }
        }
        $configDigest = $registry.AddBlob('edge/working', [Text.Encoding]::UTF8.GetBytes('{}'))
        $manifest = @{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.manifest.v1+json'; artifactType = 'text/plain'
            config = @{ mediaType = 'application/vnd.oci.empty.v1+json'; digest = $configDigest; size = 2 }; layers = @($layers) } | ConvertTo-Json -Depth 6
        $null = $registry.AddManifest('edge/working', [Text.Encoding]::UTF8.GetBytes($manifest), 'application/vnd.oci.image.manifest.v1+json', 'v1')
        $dest = Join-Path $TestDrive 'working-names'

        $err = $null
        $files = Get-OciManifest "$($registry.Host)/edge/working:v1" | Save-OciBlob -Destination $dest -UseTitle -ThrottleLimit 4 -ErrorAction SilentlyContinue -ErrorVariable err

        foreach ($file in $files) {
            Test-Path $file.FullName | Should -BeTrue -Because "$($file.Name) was reported as saved"
            Get-Sha256Digest ([IO.File]::ReadAllBytes($file.FullName)) | Should -Be $file.Digest -Because "$($file.Name) must hold the blob it claims"
        }
        foreach ($left in Get-ChildItem $dest -File) {
            $left.Name | Should -BeIn @($files.Name) -Because 'every file left is one reported as saved'
        }
        $unsafe = @($err | Where-Object { $_.FullyQualifiedErrorId -eq (& $id 'UnsafeTitle') })
        @($unsafe.TargetObject) | Sort-Object | Should -Be @('data.partial.json', 'report.partial')
        @($files.Name) | Sort-Object | Should -Be @('data', 'report', ($configDigest -replace ':', '-')) 
    }

    It 'refuses two titles that name one file on a case-insensitive file system' {
        $one = [Text.Encoding]::UTF8.GetBytes('upper')
        $two = [Text.Encoding]::UTF8.GetBytes('lower')
        $blobs = @(
            [pscustomobject]@{ Reference = "$($registry.Host)/edge/case"; Digest = $registry.AddBlob('edge/case', $one); Size = $one.Length; Title = 'Notes.txt' }
            [pscustomobject]@{ Reference = "$($registry.Host)/edge/case"; Digest = $registry.AddBlob('edge/case', $two); Size = $two.Length; Title = 'notes.TXT' }
        )
        $err = $null
        $files = $blobs | Save-OciBlob -Destination (Join-Path $TestDrive 'case') -UseTitle -ErrorAction SilentlyContinue -ErrorVariable err
        @($files).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be (& $id 'TargetConflict')
        Get-Sha256Digest ([IO.File]::ReadAllBytes($files[0].FullName)) | Should -Be $files[0].Digest
    }

    It 'refuses index entries, which are manifests, before any request, with ManifestIsNotABlob' {
        $index = Get-OciManifest "${repo}:1.0"
        $dest = Join-Path $TestDrive 'entries'
        Clear-OciTestRegistryRequest $registry
        $err = $null
        $files = $index.Manifests | Save-OciBlob -Destination $dest -ErrorAction SilentlyContinue -ErrorVariable err
        $files | Should -BeNullOrEmpty
        @($err).Count | Should -Be $index.Manifests.Count
        $err[0].FullyQualifiedErrorId | Should -Be (& $id 'ManifestIsNotABlob')
        "$($err[0])" | Should -Match 'Get-OciManifest'
        @(Get-OciTestRegistryRequest $registry -Path '*/blobs/*') | Should -BeNullOrEmpty
        Test-Path $dest | Should -BeFalse
    }

    It 'refuses -OutFile for a manifest of several blobs before any request, with PathNeedsOneBlob' {
        $manifest = Get-OciManifest "${repo}:1.0" -Platform linux/amd64
        $path = Join-Path $TestDrive 'several.bin'
        Clear-OciTestRegistryRequest $registry
        $err = $null
        $files = $manifest | Save-OciBlob -OutFile $path -ErrorAction SilentlyContinue -ErrorVariable err
        $files | Should -BeNullOrEmpty
        @($err.FullyQualifiedErrorId) | Should -Be @((& $id 'PathNeedsOneBlob'))
        "$($err[0])" | Should -Not -Match 'UseTitle'
        @(Get-OciTestRegistryRequest $registry -Path '*/blobs/*') | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $TestDrive -Filter 'several.bin*' -Force) | Should -BeNullOrEmpty
    }

    It 'refuses -OutFile for two piped blobs, saving neither' {
        $manifest = Get-OciManifest "${repo}:1.0" -Platform linux/amd64
        $path = Join-Path $TestDrive 'two.bin'
        Clear-OciTestRegistryRequest $registry
        $err = $null
        $files = $manifest.Layers + $manifest.Config |
            ForEach-Object { [pscustomobject]@{ Reference = $repo; Digest = $_.Digest; Size = $_.Size } } |
            Save-OciBlob -OutFile $path -ErrorAction SilentlyContinue -ErrorVariable err
        $files | Should -BeNullOrEmpty
        @($err.FullyQualifiedErrorId) | Should -Be @((& $id 'PathNeedsOneBlob'))
        @(Get-OciTestRegistryRequest $registry -Path '*/blobs/*' -Method GET) | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $TestDrive -Filter 'two.bin*' -Force) | Should -BeNullOrEmpty
    }

    It 'saves into an existing folder given as -OutFile, under the blob''s own name' {
        $folder = Join-Path $TestDrive 'path-is-a-folder'
        $null = New-Item -ItemType Directory -Path $folder
        $file = Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile $folder
        $file.FullName | Should -Be (Join-Path $folder ($bigDigest -replace ':', '-'))
        Get-Sha256Digest ([IO.File]::ReadAllBytes($file.FullName)) | Should -Be $bigDigest
        @(Get-ChildItem -LiteralPath $TestDrive -Force | Where-Object Name -Like 'path-is-a-folder?*') | Should -BeNullOrEmpty
    }

    It 'still takes the old -Path for one file, with a warning that names -OutFile' {
        $path = Join-Path $TestDrive 'old-name.bin'
        $file = Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -Path $path -WarningVariable warned 3>$null
        $file.FullName | Should -Be $path
        "$warned" | Should -Match '-OutFile'
        { Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -Path $path -OutFile $path -ErrorAction Stop 3>$null } |
            Should -Throw -ErrorId (& $id 'PathAndDestination')
    }

    It 'hides the old -Path from Tab completion' {
        (Get-Command Save-OciBlob).Parameters['Path'].Attributes.Where({ $_ -is [Parameter] }).DontShow | Should -Not -Contain $false
        # PowerShell still offers a hidden parameter when it is the only one a prefix matches (-Pa), as it should.
        $line = 'Save-OciBlob x -'
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Not -Contain '-Path'
        $names | Should -Contain '-OutFile'
    }

    It 'adds the media type''s extension to digest names only with -AddExtension' {
        $manifest = Get-OciManifest "${repo}:1.0" -Platform linux/amd64
        $plain = @($manifest | Save-OciBlob -Destination (Join-Path $TestDrive 'plain-names'))
        $plain.Name | Should -Be (@($manifest.Config.Digest; $manifest.Layers.Digest) | ForEach-Object { "$_" -replace ':', '-' })
        $named = @($manifest | Save-OciBlob -Destination (Join-Path $TestDrive 'with-extensions') -AddExtension)
        $named[0].Name | Should -Be (($manifest.Config.Digest -replace ':', '-') + '.json')
        $manifest.Layers[0].MediaType | Should -Be 'application/vnd.oci.image.layer.v1.tar'
        $named[1].Name | Should -Be (($manifest.Layers[0].Digest -replace ':', '-') + '.tar')
        Get-Sha256Digest ([IO.File]::ReadAllBytes($named[1].FullName)) | Should -Be $manifest.Layers[0].Digest
    }

    It 'adds no extension for a blob whose media type is unknown or missing' {
        $file = Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -Destination (Join-Path $TestDrive 'no-type') -AddExtension
        $file.Name | Should -Be ($bigDigest -replace ':', '-')
    }

    It 'refuses two titles that differ only in Unicode normalisation' {
        $one = [Text.Encoding]::UTF8.GetBytes('composed')
        $two = [Text.Encoding]::UTF8.GetBytes('decomposed')
        $blobs = @(
            [pscustomobject]@{ Reference = "$($registry.Host)/edge/nfc"; Digest = $registry.AddBlob('edge/nfc', $one); Size = $one.Length; Title = "r$([char]0xE9)sum$([char]0xE9).txt" }
            [pscustomobject]@{ Reference = "$($registry.Host)/edge/nfc"; Digest = $registry.AddBlob('edge/nfc', $two); Size = $two.Length; Title = "re$([char]0x301)sume$([char]0x301).txt" }
        )
        $err = $null
        $files = $blobs | Save-OciBlob -Destination (Join-Path $TestDrive 'nfc') -UseTitle -ErrorAction SilentlyContinue -ErrorVariable err
        @($files).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be (& $id 'TargetConflict')
    }

    It 'refuses a title of <Length> characters before any request, leaving nothing behind' -ForEach @(
        @{ Length = 243 }, @{ Length = 255 }
    ) {
        $bytes = [Text.Encoding]::UTF8.GetBytes("long title $Length")
        $digest = $registry.AddBlob('edge/long', $bytes)
        $dest = Join-Path $TestDrive "long-$Length"
        Clear-OciTestRegistryRequest $registry
        $err = $null
        $files = [pscustomobject]@{ Reference = "$($registry.Host)/edge/long"; Digest = $digest; Size = $bytes.Length; Title = 'n' * $Length } |
            Save-OciBlob -Destination $dest -UseTitle -ErrorAction SilentlyContinue -ErrorVariable err
        $files | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be (& $id 'UnsafeTitle')
        "$($err[0])" | Should -Match 'too long'
        "$($err[0])" | Should -Not -Match 'partial file is kept'
        @(Get-OciTestRegistryRequest $registry -Path "*/blobs/$digest") | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $dest -Force -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
    }

    It 'refuses a title that a direction override would show as another name' {
        $bytes = [Text.Encoding]::UTF8.GetBytes('not a pdf')
        $digest = $registry.AddBlob('edge/bidi', $bytes)
        $title = "invoice$([char]0x202E)fdp.exe"
        $err = $null
        $files = [pscustomobject]@{ Reference = "$($registry.Host)/edge/bidi"; Digest = $digest; Size = $bytes.Length; Title = $title } |
            Save-OciBlob -Destination (Join-Path $TestDrive 'bidi') -UseTitle -ErrorAction SilentlyContinue -ErrorVariable err
        $files | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be (& $id 'UnsafeTitle')
        "$($err[0])" | Should -Match 'U\+202E'
    }

    Context 'planted files' {
        BeforeAll {
            # The blob's first bytes, so that a resume through the planted file would verify and report success.
            $script:prefix = [byte[]]::new(64KB)
            [Array]::Copy($bigBytes, $prefix, $prefix.Length)
            $script:plantedAt = [datetime]::new(2020, 1, 2, 3, 4, 5, [DateTimeKind]::Utc)
            $script:plant = {
                param($Name, [byte[]] $Bytes)
                $outside = Join-Path $TestDrive "outside-$Name"
                [IO.File]::WriteAllBytes($outside, $Bytes)
                (Get-Item $outside).LastWriteTimeUtc = $plantedAt
                $outside
            }
            $script:assertUntouched = {
                param($Path, [byte[]] $Bytes)
                Get-Sha256Digest ([IO.File]::ReadAllBytes($Path)) | Should -Be (Get-Sha256Digest $Bytes)
                (Get-Item $Path).LastWriteTimeUtc | Should -Be $plantedAt
            }
        }

        It 'refuses a .partial symlink to a file outside (with a matching sidecar) and leaves that file untouched' -Skip:$IsWindows {
            $outside = & $plant 'partial-link' $prefix
            $path = Join-Path (New-Item -ItemType Directory (Join-Path $TestDrive 'planted-link')) 'blob.bin'
            $null = New-Item -ItemType SymbolicLink -Path "$path.partial" -Target $outside
            @{ digest = $bigDigest; size = $bigBytes.Length } | ConvertTo-Json | Set-Content "$path.partial.json"

            { Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile $path -ErrorAction Stop } |
                Should -Throw -ErrorId (& $id 'FileLinkRefused')

            & $assertUntouched $outside $prefix
            Test-Path $path | Should -BeFalse
        }

        It 'refuses a target symlink to the right bytes outside instead of reporting it saved' -Skip:$IsWindows {
            $outside = & $plant 'target-link' $bigBytes
            $path = Join-Path (New-Item -ItemType Directory (Join-Path $TestDrive 'planted-target')) 'blob.bin'
            $null = New-Item -ItemType SymbolicLink -Path $path -Target $outside

            { Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile $path -Force -ErrorAction Stop } |
                Should -Throw -ErrorId (& $id 'FileLinkRefused')

            & $assertUntouched $outside $bigBytes
        }

        It 'refuses a hard-linked .partial and leaves the other file untouched' -Skip:$IsWindows {
            $outside = & $plant 'hard-link' $prefix
            $path = Join-Path (New-Item -ItemType Directory (Join-Path $TestDrive 'planted-hard')) 'blob.bin'
            & ln $outside "$path.partial"
            @{ digest = $bigDigest; size = $bigBytes.Length } | ConvertTo-Json | Set-Content "$path.partial.json"

            { Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile $path -ErrorAction Stop } |
                Should -Throw -ErrorId (& $id 'FileLinkRefused')

            & $assertUntouched $outside $prefix
        }

        It 'fails within seconds, in bounded memory, on a link to /dev/zero as the sidecar' -Skip:$IsWindows {
            $path = Join-Path (New-Item -ItemType Directory (Join-Path $TestDrive 'planted-zero')) 'blob.bin'
            [IO.File]::WriteAllBytes("$path.partial", $prefix)
            $null = New-Item -ItemType SymbolicLink -Path "$path.partial.json" -Target '/dev/zero'
            $before = [GC]::GetTotalAllocatedBytes($true)
            $err = $null
            $elapsed = Measure-Command { Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile $path -ErrorAction SilentlyContinue -ErrorVariable err }
            $elapsed.TotalSeconds | Should -BeLessThan 10
            ([GC]::GetTotalAllocatedBytes($true) - $before) | Should -BeLessThan 256MB
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'FileLinkRefused')
            Test-Path $path | Should -BeFalse
        }

        It 'fails within seconds on a FIFO as the sidecar' -Skip:$IsWindows {
            $path = Join-Path (New-Item -ItemType Directory (Join-Path $TestDrive 'planted-fifo')) 'blob.bin'
            [IO.File]::WriteAllBytes("$path.partial", $prefix)
            & mkfifo "$path.partial.json"
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$env:OCIREGISTRY_MODULE'; Save-OciBlob '$($registry.Host)/edge/blobs' -Digest '$bigDigest' -OutFile '$path' -ErrorAction SilentlyContinue -ErrorVariable failed; `$failed.FullyQualifiedErrorId")
                $handle = $ps.BeginInvoke()
                $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(10)) | Should -BeTrue -Because 'a FIFO must not block the download'
                $ps.EndInvoke($handle) | Should -Be (& $id 'FileNotRegular')
            }
            finally {
                # A reader stuck on the FIFO (the failure this test looks for) is released by a writer that opens and closes it.
                if (-not $handle.IsCompleted) { [IO.File]::OpenWrite("$path.partial.json").Dispose(); $null = $handle.AsyncWaitHandle.WaitOne(5000) }
                $ps.Dispose()
            }
        }
    }

    Context 'through faults' {
        BeforeAll {
            $script:blobPath = "/v2/edge/blobs/blobs/$bigDigest"
            $script:pwshDll = [System.Reflection.Assembly]::GetEntryAssembly().Location
        }

        BeforeEach {
            Clear-OciTestRegistryFault $registry
            Clear-OciTestRegistryRequest $registry
        }

        It 'delivers a blob cut every time after 1 MiB, verified, resuming with ranges' {
            1..2 | ForEach-Object { New-OciTestRegistryFault CutBody -Path '*/blobs/*' -Offset ($_ * 1MB) } | Add-OciTestRegistryFault $registry
            $file = Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile (Join-Path $TestDrive 'cut.bin')
            $file.Attempts | Should -Be 3
            Get-Sha256Digest ([IO.File]::ReadAllBytes($file.FullName)) | Should -Be $bigDigest
            $log = Get-OciTestRegistryRequest $registry -Path $blobPath -Method GET
            $log.Range | Should -Be @($null, 'bytes=1048576-', 'bytes=2097152-')
            $log.BytesSent | Should -Be @(1MB, 1MB, 1MB)
        }

        It 'never lets a corrupted body reach the final path' {
            New-OciTestRegistryFault CorruptByte -Path '*/blobs/*' | Add-OciTestRegistryFault $registry
            $target = Join-Path $TestDrive 'corrupt.bin'
            $err = $null
            Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile $target -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'BlobDigestMismatch')
            $err[0].Exception.Message | Should -Match ([regex]::Escape($bigDigest))
            Test-Path $target | Should -BeFalse
            Test-Path "$target.partial" | Should -BeFalse
        }

        It 'completes against a registry that ignores Range' {
            New-OciTestRegistryFault CutBody -Path '*/blobs/*' -Offset 1MB -Count 1 | Add-OciTestRegistryFault $registry
            New-OciTestRegistryFault IgnoreRange | Add-OciTestRegistryFault $registry
            $file = Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile (Join-Path $TestDrive 'norange.bin')
            Get-Sha256Digest ([IO.File]::ReadAllBytes($file.FullName)) | Should -Be $bigDigest
            $last = (Get-OciTestRegistryRequest $registry -Path $blobPath)[-1]
            $last.Range | Should -Be 'bytes=1048576-'
            $last.StatusCode | Should -Be 200
        }

        It 'waits at least as long as Retry-After says' {
            New-OciTestRegistryFault Fail -Path '*/blobs/*' -StatusCode 429 -RetryAfter 2 -Count 1 | Add-OciTestRegistryFault $registry
            $elapsed = Measure-Command { $null = Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -Size 3MB -OutFile (Join-Path $TestDrive 'retry-after.bin') }
            $elapsed.TotalSeconds | Should -BeGreaterOrEqual 2
            (Get-OciTestRegistryRequest $registry -Path $blobPath -Method GET).StatusCode | Should -Be @(429, 200)
        }

        It 'shows a Retry-After wait on the blob''s progress bar as a wait, at a terminal' {
            if (-not (Test-UtilLinuxScript)) { Set-ItResult -Skipped -Because 'a pseudo-terminal needs script(1) from util-linux (not on Windows or macOS)'; return }
            New-OciTestRegistryFault Fail -Path '*/blobs/*' -StatusCode 429 -RetryAfter 2 -Count 1 | Add-OciTestRegistryFault $registry
            # Progress records cannot be captured in this (redirected) process: a child on a pseudo-terminal runs the
            # cmdlet in a runspace of its own and prints the status lines of the records it wrote.
            $child = Join-Path $TestDrive 'progress.ps1'
            Set-Content $child @'
param($Module, $Repository, $Digest, $Path)
$ErrorActionPreference = 'Stop'
$ps = [powershell]::Create()
$null = $ps.AddScript('param($m, $r, $d, $p) Import-Module $m; $ProgressPreference = ''Continue''; Save-OciBlob $r -Digest $d -Size 3MB -OutFile $p | Out-Null')
$null = $ps.AddArgument($Module).AddArgument($Repository).AddArgument($Digest).AddArgument($Path)
$null = $ps.Invoke()
if ($ps.HadErrors) { throw $ps.Streams.Error[0] }
$ps.Streams.Progress | ForEach-Object { 'status: ' + $_.StatusDescription }
'@
            $output = Invoke-ChildPwshOnTerminal $child -ArgumentList $env:OCIREGISTRY_MODULE, "$($registry.Host)/edge/blobs", $bigDigest, (Join-Path $TestDrive 'progress.bin')
            $status = $output | Where-Object { $_ -like 'status: *' }
            $status | Should -Contain 'status: waiting 2.0 s before trying again (the registry asked us to wait, or the connection dropped)'
            $status[-1] | Should -Be 'status: done'
            (Get-OciTestRegistryRequest $registry -Path $blobPath -Method GET).StatusCode | Should -Be @(429, 200)
        }

        It 'reports a full disk as FileWriteFailed, not as a network error, and keeps what was written (resuming at byte <Start>)' -ForEach @(@{ Start = 0 }, @{ Start = 100 }) {
            if ($IsWindows -or (& id -u) -ne '0') { Set-ItResult -Skipped -Because 'a small tmpfs to fill needs root on Linux'; return }
            $small = Join-Path $TestDrive "small-$Start"
            $null = New-Item -ItemType Directory $small
            & mount -t tmpfs -o size=1m tmpfs $small
            if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'tmpfs could not be mounted here'; return }
            try {
                $target = Join-Path $small 'big.bin'
                if ($Start -gt 0) {
                    # An unaligned resume: the first bytes then go through the stream, not directly to the disk.
                    [IO.File]::WriteAllBytes("$target.partial", $bigBytes[0..($Start - 1)])
                    Set-Content "$target.partial.json" "{`"digest`":`"$bigDigest`",`"size`":$($bigBytes.Length)}"
                }
                Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile $target -ErrorAction SilentlyContinue -ErrorVariable err
                $err[0].FullyQualifiedErrorId | Should -Be (& $id 'FileWriteFailed')
                $err[0].CategoryInfo.Category | Should -Be 'WriteError'
                $err[0].Exception.Message | Should -Match 'No space left on device'
                Test-Path $target | Should -BeFalse
                (Get-Item "$target.partial").Length | Should -BeGreaterThan 0
                Test-Path "$target.partial.json" | Should -BeTrue
            }
            finally { & umount $small }
        }

        It 'sends no Authorization to the origin it is redirected to' {
            $cred = [pscredential]::new('tester', (ConvertTo-SecureString 'pw-for-redirects' -AsPlainText -Force))
            $locked = Start-OciTestRegistry -SampleContent -Credential $cred
            try {
                New-OciTestRegistryFault Redirect -Path '*/blobs/*' | Add-OciTestRegistryFault $locked
                $manifest = Get-OciManifest "$($locked.Host)/samples/hello:docker" -Credential $cred
                $lines = $manifest | Save-OciBlob -Destination (Join-Path $TestDrive 'redirected') -Credential $cred -Verbose 4>&1
                @($lines | Where-Object { $_ -is [IO.FileInfo] -or $_.PSObject.TypeNames -contains 'OciRegistry.SavedBlob' }).Count | Should -Be 2
                ($lines | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Not -Match 'sig=[^R]'
                $cdn = Get-OciTestRegistryRequest $locked -Origin Cdn
                @($cdn).Count | Should -Be 2
                $cdn.HasAuthorization | Should -Not -Contain $true
                (Get-OciTestRegistryRequest $locked -Origin Registry | Where-Object StatusCode -EQ 307).AuthorizationScheme | Should -Be @('Basic', 'Basic')
            }
            finally { $locked | Stop-OciTestRegistry }
        }

        It 'stops within a second on Ctrl+C and keeps every byte received for the next run' {
            New-OciTestRegistryFault Stall -Path '*/blobs/*' -Offset 100KB -Count 1 | Add-OciTestRegistryFault $registry
            $target = Join-Path $TestDrive 'ctrl-c.bin'
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$env:OCIREGISTRY_MODULE'; Save-OciBlob '$($registry.Host)/edge/blobs' -Digest '$bigDigest' -Size 3MB -OutFile '$target'")
                $handle = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(15)
                while (-not (Get-OciTestRegistryRequest $registry -Path $blobPath | Where-Object BytesSent -EQ 100KB) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                Start-Sleep -Milliseconds 200
                $elapsed = Measure-Command { $ps.Stop() }
                $elapsed.TotalSeconds | Should -BeLessThan 1
                $handle.IsCompleted | Should -BeTrue
            }
            finally { $ps.Dispose() }
            (Get-Item "$target.partial").Length | Should -Be 100KB
            $file = Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile $target
            $file.ResumedFrom | Should -Be 100KB
            (Get-OciTestRegistryRequest $registry -Path $blobPath)[-1].BytesSent | Should -Be (3MB - 100KB)
        }

        It 'resumes a download whose process was killed, fetching only the missing bytes' {
            New-OciTestRegistryFault Trickle -Path '*/blobs/*' -BytesPerSecond 2MB | Add-OciTestRegistryFault $registry
            $target = Join-Path $TestDrive 'killed.bin'
            $script = "Import-Module '$env:OCIREGISTRY_MODULE'; Save-OciBlob '$($registry.Host)/edge/blobs' -Digest '$bigDigest' -Size 3MB -OutFile '$target'"
            $child = if ($pwshDll -like '*.dll') { Start-Process ([Environment]::ProcessPath) -ArgumentList $pwshDll, '-NoProfile', '-Command', $script -PassThru }
            else { Start-Process ([Environment]::ProcessPath) -ArgumentList '-NoProfile', '-Command', $script -PassThru }
            try {
                $deadline = [DateTime]::UtcNow.AddSeconds(20)
                while (-not ((Test-Path "$target.partial") -and (Get-Item "$target.partial").Length -ge 1MB) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            }
            finally { $child | Stop-Process -Force; $child.WaitForExit() }
            Test-Path $target | Should -BeFalse
            $kept = (Get-Item "$target.partial").Length
            $kept | Should -BeGreaterOrEqual 1MB
            Clear-OciTestRegistryFault $registry
            $file = Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -OutFile $target
            $file.ResumedFrom | Should -Be $kept
            $last = (Get-OciTestRegistryRequest $registry -Path $blobPath)[-1]
            $last.Range | Should -Be "bytes=$kept-"
            $last.BytesSent | Should -Be (3MB - $kept)
            Get-Sha256Digest ([IO.File]::ReadAllBytes($target)) | Should -Be $bigDigest
        }
    }

    Context 'parallel ranges' {
        BeforeAll {
            # 16 MiB: four parts of 4 MiB.
            $script:rangedBytes = [byte[]]::new(16MB)
            [System.Random]::new(11).NextBytes($rangedBytes)
            $script:rangedDigest = $registry.AddBlob('edge/ranged', $rangedBytes)
            $script:rangedPath = "/v2/edge/ranged/blobs/$rangedDigest"
            $script:pwshDll = [System.Reflection.Assembly]::GetEntryAssembly().Location
            $script:quarters = 0..3 | ForEach-Object { $_ * 4MB }
        }

        BeforeEach {
            Clear-OciTestRegistryFault $registry
            Clear-OciTestRegistryRequest $registry
        }

        It 'fetches four parts at once, each over its own connection, and verifies the whole' {
            $file = Save-OciBlob "$($registry.Host)/edge/ranged" -Digest $rangedDigest -OutFile (Join-Path $TestDrive 'ranged.bin') -ParallelRange 4
            $file.Ranges | Should -Be 4
            $file.Attempts | Should -Be 4
            $file.BytesDownloaded | Should -Be 16MB
            Get-Sha256Digest ([IO.File]::ReadAllBytes($file.FullName)) | Should -Be $rangedDigest
            $log = @(Get-OciTestRegistryRequest $registry -Path $rangedPath -Method GET)
            ($log.Range | Sort-Object) | Should -Be (@('bytes=0-4194303', 'bytes=4194304-8388607', 'bytes=8388608-12582911', 'bytes=12582912-') | Sort-Object)
            $log.StatusCode | Should -Be @(206, 206, 206, 206)
            $log.BytesSent | Should -Be @(4MB, 4MB, 4MB, 4MB)
            Test-Path "$($file.FullName).partial.json" | Should -BeFalse
        }

        It 'keeps to one connection for a blob under 2 MiB' {
            $small = $registry.AddBlob('edge/ranged', [byte[]]::new(1MB))
            $file = Save-OciBlob "$($registry.Host)/edge/ranged" -Digest $small -OutFile (Join-Path $TestDrive 'small-ranged.bin') -ParallelRange 4
            $file.Ranges | Should -Be 1
            (Get-OciTestRegistryRequest $registry -Path "/v2/edge/ranged/blobs/$small" -Method GET).Range | Should -BeNullOrEmpty
        }

        It 'resumes a part cut mid-way from where it broke off, the others untouched' {
            New-OciTestRegistryFault CutBody -Path '*/blobs/*' -Offset (5MB) -Count 1 | Add-OciTestRegistryFault $registry
            New-OciTestRegistryFault CutBody -Path '*/blobs/*' -Offset (14MB) -Count 1 | Add-OciTestRegistryFault $registry
            $file = Save-OciBlob "$($registry.Host)/edge/ranged" -Digest $rangedDigest -OutFile (Join-Path $TestDrive 'ranged-cut.bin') -ParallelRange 4
            Get-Sha256Digest ([IO.File]::ReadAllBytes($file.FullName)) | Should -Be $rangedDigest
            $file.Attempts | Should -Be 6
            $log = @(Get-OciTestRegistryRequest $registry -Path $rangedPath -Method GET)
            $log.Range | Should -Contain 'bytes=5242880-8388607'
            $log.Range | Should -Contain 'bytes=14680064-'
            ($log | Measure-Object BytesSent -Sum).Sum | Should -Be 16MB -Because 'a cut part goes on from its last byte, nothing is fetched twice'
        }

        It 'falls back to one connection when the registry answers a ranged request with the whole blob' {
            New-OciTestRegistryFault IgnoreRange | Add-OciTestRegistryFault $registry
            $file = Save-OciBlob "$($registry.Host)/edge/ranged" -Digest $rangedDigest -OutFile (Join-Path $TestDrive 'ranged-ignored.bin') -ParallelRange 4
            $file.Ranges | Should -Be 1
            Get-Sha256Digest ([IO.File]::ReadAllBytes($file.FullName)) | Should -Be $rangedDigest
            $log = @(Get-OciTestRegistryRequest $registry -Path $rangedPath -Method GET)
            $log.Count | Should -Be 2
            $log[0].Range | Should -Be 'bytes=0-4194303'
            $log.StatusCode | Should -Be @(200, 200)
            $log[1].Range | Should -BeNullOrEmpty
        }

        It 'goes on in order when ranges stop being served after the first, instead of each part reading the whole blob to its place' {
            New-OciTestRegistryFault IgnoreRange -Skip 1 | Add-OciTestRegistryFault $registry
            $file = Save-OciBlob "$($registry.Host)/edge/ranged" -Digest $rangedDigest -OutFile (Join-Path $TestDrive 'ranged-stopped.bin') -ParallelRange 4
            $file.Ranges | Should -Be 1
            Get-Sha256Digest ([IO.File]::ReadAllBytes($file.FullName)) | Should -Be $rangedDigest
            $log = @(Get-OciTestRegistryRequest $registry -Path $rangedPath -Method GET)
            $log[0].StatusCode | Should -Be 206
            # What a part's refused answer sent before it was dropped is what the sockets took in meanwhile (about
            # 4 MiB each on loopback), so the sum says little; which requests there were says it all.
            # The continuation asks for everything from the front (what is written and hashed so far, at most the
            # first part; no Range at all when nothing is yet); the last part's range is open-ended too, but starts
            # at 12 MiB.
            $continuations = @($log | Select-Object -Skip 1 | Where-Object { -not $_.Range -or ($_.Range -match '^bytes=(\d+)-$' -and [long]$Matches[1] -le 4MB) })
            $continuations.Count | Should -Be 1 -Because 'what follows the complete front is fetched in order, once'
            $parts = @($log | Select-Object -Skip 1 | Where-Object { $_ -notin $continuations })
            $parts | Where-Object BytesSent -GE 16MB | Should -BeNullOrEmpty -Because 'a part reading the whole blob up to its place would take all 16 MiB'
            Test-Path "$($file.FullName).partial.json" | Should -BeFalse
        }

        It 'starts over, and succeeds, when the partial file is longer than the blob' {
            $target = Join-Path $TestDrive 'ranged-long.bin'
            [IO.File]::WriteAllBytes("$target.partial", [byte[]]::new(17MB))
            Set-Content "$target.partial.json" "{`"digest`":`"$rangedDigest`",`"size`":$(16MB),`"parts`":[[0,$(8MB),$(1MB)],[$(8MB),$(16MB),$(1MB)]]}"
            $file = Save-OciBlob "$($registry.Host)/edge/ranged" -Digest $rangedDigest -OutFile $target -ParallelRange 2
            $file.ResumedFrom | Should -Be 0
            $file.BytesDownloaded | Should -Be 16MB
            Get-Sha256Digest ([IO.File]::ReadAllBytes($target)) | Should -Be $rangedDigest
        }

        It 'leaves a live download''s files alone: a second run to the same place fails as in use' {
            $target = Join-Path $TestDrive 'ranged-live.bin'
            # Another run's files, for a blob this run does not trust them for; that run holds its partial file open.
            Set-Content "$target.partial.json" "{`"digest`":`"sha256:$('1' * 64)`",`"size`":$(16MB),`"parts`":[[0,$(16MB),0]]}"
            $live = [IO.File]::Open("$target.partial", 'CreateNew', 'ReadWrite', 'None')
            try {
                $live.Write([byte[]]::new(1MB), 0, 1MB)
                $live.Flush()
                foreach ($ranges in 4, 1) {
                    Save-OciBlob "$($registry.Host)/edge/ranged" -Digest $rangedDigest -OutFile $target -ParallelRange $ranges -ErrorAction SilentlyContinue -ErrorVariable err
                    $err[0].Exception.Message | Should -BeLike '*is in use*'
                    Test-Path "$target.partial" | Should -BeTrue
                    Test-Path "$target.partial.json" | Should -BeTrue
                    $live.Length | Should -Be 1MB
                    Test-Path $target | Should -BeFalse
                }
            }
            finally { $live.Dispose() }
        }

        It 'never moves a part with a corrupted byte into place' {
            New-OciTestRegistryFault CorruptByte -Path '*/blobs/*' -Offset (9MB) | Add-OciTestRegistryFault $registry
            $target = Join-Path $TestDrive 'ranged-corrupt.bin'
            Save-OciBlob "$($registry.Host)/edge/ranged" -Digest $rangedDigest -OutFile $target -ParallelRange 4 -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'BlobDigestMismatch')
            Test-Path $target | Should -BeFalse
            Test-Path "$target.partial" | Should -BeFalse
            Test-Path "$target.partial.json" | Should -BeFalse
        }

        It 'resumes a download killed with four parts in flight, fetching only what the sidecar does not count' {
            New-OciTestRegistryFault Trickle -Path '*/blobs/*' -BytesPerSecond 1MB | Add-OciTestRegistryFault $registry
            $target = Join-Path $TestDrive 'ranged-killed.bin'
            $script = "Import-Module '$env:OCIREGISTRY_MODULE'; Save-OciBlob '$($registry.Host)/edge/ranged' -Digest '$rangedDigest' -Size 16MB -OutFile '$target' -ParallelRange 4"
            $child = if ($pwshDll -like '*.dll') { Start-Process ([Environment]::ProcessPath) -ArgumentList $pwshDll, '-NoProfile', '-Command', $script -PassThru }
            else { Start-Process ([Environment]::ProcessPath) -ArgumentList '-NoProfile', '-Command', $script -PassThru }
            # The sidecar is open only while a record is written: a read that meets one just tries again.
            $counted = { try { $parts = (Get-Content -Raw "$target.partial.json" -ErrorAction Stop | ConvertFrom-Json).parts; ($parts | ForEach-Object { $_[2] } | Measure-Object -Sum).Sum } catch { 0 } }
            try {
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while (-not ((& $counted) -ge 4MB) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            }
            finally { $child | Stop-Process -Force; $child.WaitForExit() }
            Test-Path $target | Should -BeFalse
            $parts = @((Get-Content -Raw "$target.partial.json" | ConvertFrom-Json).parts)
            $parts.Count | Should -Be 4
            @($parts | Where-Object { $_[2] -gt 0 -and $_[2] -lt ($_[1] - $_[0]) }).Count | Should -Be 4 -Because 'every part was in flight'
            $kept = ($parts | ForEach-Object { $_[2] } | Measure-Object -Sum).Sum
            Clear-OciTestRegistryFault $registry
            Clear-OciTestRegistryRequest $registry
            $file = Save-OciBlob "$($registry.Host)/edge/ranged" -Digest $rangedDigest -OutFile $target -ParallelRange 4
            $file.ResumedFrom | Should -Be $kept
            $file.BytesDownloaded | Should -Be (16MB - $kept)
            $log = @(Get-OciTestRegistryRequest $registry -Path $rangedPath -Method GET)
            $expected = $parts | ForEach-Object { if ($_[1] -eq 16MB) { "bytes=$($_[0] + $_[2])-" } else { "bytes=$($_[0] + $_[2])-$($_[1] - 1)" } }
            ($log.Range | Sort-Object) | Should -Be ($expected | Sort-Object)
            ($log | Measure-Object BytesSent -Sum).Sum | Should -Be (16MB - $kept)
            Get-Sha256Digest ([IO.File]::ReadAllBytes($target)) | Should -Be $rangedDigest
            Test-Path "$target.partial.json" | Should -BeFalse
        }

        It 'resumes the parts another run left, on one connection too' {
            $target = Join-Path $TestDrive 'ranged-left.bin'
            # The first 1 MiB of each quarter, as a run killed early would leave them: holes between.
            $stream = [IO.File]::Create("$target.partial")
            try { foreach ($start in $quarters) { $stream.Position = $start; $stream.Write($rangedBytes, $start, 1MB) } }
            finally { $stream.Dispose() }
            $parts = ($quarters | ForEach-Object { "[$_,$($_ + 4MB),$(1MB)]" }) -join ','
            Set-Content "$target.partial.json" "{`"digest`":`"$rangedDigest`",`"size`":$(16MB),`"parts`":[$parts]}"
            $file = Save-OciBlob "$($registry.Host)/edge/ranged" -Digest $rangedDigest -OutFile $target
            $file.ResumedFrom | Should -Be 4MB
            $file.Ranges | Should -Be 1
            $log = @(Get-OciTestRegistryRequest $registry -Path $rangedPath -Method GET)
            $log.Range | Should -Be @('bytes=1048576-4194303', 'bytes=5242880-8388607', 'bytes=9437184-12582911', 'bytes=13631488-')
            Get-Sha256Digest ([IO.File]::ReadAllBytes($target)) | Should -Be $rangedDigest
        }

        It 'starts over when the sidecar''s parts do not tile the blob' {
            $target = Join-Path $TestDrive 'ranged-hostile.bin'
            [IO.File]::WriteAllBytes("$target.partial", [byte[]]::new(2MB))
            Set-Content "$target.partial.json" "{`"digest`":`"$rangedDigest`",`"size`":$(16MB),`"parts`":[[0,$(8MB),$(2MB)],[$(4MB),$(16MB),0]]}"
            $file = Save-OciBlob "$($registry.Host)/edge/ranged" -Digest $rangedDigest -OutFile $target -ParallelRange 2
            $file.ResumedFrom | Should -Be 0
            ($log = @(Get-OciTestRegistryRequest $registry -Path $rangedPath -Method GET)).Range | Should -Be @('bytes=0-8388607', 'bytes=8388608-')
            Get-Sha256Digest ([IO.File]::ReadAllBytes($target)) | Should -Be $rangedDigest
        }

        It 'never takes bytes the sidecar counts from holes: a corrupted resume is refused, not moved into place' {
            $target = Join-Path $TestDrive 'ranged-lies.bin'
            # The sidecar says the second half is done; the file holds zeros there.
            [IO.File]::WriteAllBytes("$target.partial", [byte[]]::new(16MB))
            Set-Content "$target.partial.json" "{`"digest`":`"$rangedDigest`",`"size`":$(16MB),`"parts`":[[0,$(8MB),0],[$(8MB),$(16MB),$(8MB)]]}"
            Save-OciBlob "$($registry.Host)/edge/ranged" -Digest $rangedDigest -OutFile $target -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'BlobDigestMismatch')
            Test-Path $target | Should -BeFalse
            Test-Path "$target.partial" | Should -BeFalse
            $file = Save-OciBlob "$($registry.Host)/edge/ranged" -Digest $rangedDigest -OutFile $target
            Get-Sha256Digest ([IO.File]::ReadAllBytes($file.FullName)) | Should -Be $rangedDigest
        }
    }
}
