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

    It 'saves one blob by reference and digest to -Path' {
        $path = Join-Path $TestDrive 'one.bin'
        $file = Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -Path $path
        $file.FullName | Should -Be $path
        $file.Length | Should -Be 3MB
        $file.Attempts | Should -Be 1
        (Save-OciBlob "$($registry.Host)/edge/blobs@$bigDigest" -Path $path).AlreadyPresent | Should -BeTrue
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

    It 'resumes from a partial file left by an earlier run, fetching only the rest' {
        $path = Join-Path $TestDrive 'resumed.bin'
        [IO.File]::WriteAllBytes("$path.partial", $bigBytes[0..(1MB - 1)])
        @{ digest = $bigDigest; size = $bigBytes.Length } | ConvertTo-Json | Set-Content "$path.partial.json"
        $file = Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -Path $path
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
        $file = Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -Path $path
        $file.Resumed | Should -BeFalse
        $file.BytesDownloaded | Should -Be 3MB
    }

    It 'a corrupted partial file never reaches the final path' {
        $path = Join-Path $TestDrive 'corrupt-partial.bin'
        $bad = [byte[]]::new(1MB)   # zeros: not the blob's first megabyte
        [IO.File]::WriteAllBytes("$path.partial", $bad)
        @{ digest = $bigDigest; size = $bigBytes.Length } | ConvertTo-Json | Set-Content "$path.partial.json"
        { Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -Path $path -ErrorAction Stop } |
            Should -Throw -ErrorId (& $id 'BlobDigestMismatch')
        Test-Path $path | Should -BeFalse
        Test-Path "$path.partial" | Should -BeFalse
    }

    It 'refuses to replace a different file without -Force, and replaces it with -Force' {
        $path = Join-Path $TestDrive 'existing.bin'
        Set-Content $path 'something else'
        { Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -Path $path -ErrorAction Stop } |
            Should -Throw -ErrorId (& $id 'BlobTargetExists')
        (Get-Content $path) | Should -Be 'something else'
        (Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -Path $path -Force).Length | Should -Be 3MB
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
        { Save-OciBlob "$($registry.Host)/edge/blobs" -Digest $bigDigest -Size 1MB -Path $path -ErrorAction Stop } |
            Should -Throw -ErrorId (& $id 'BlobDigestMismatch')
        Test-Path $path | Should -BeFalse
    }
}
