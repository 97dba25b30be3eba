Describe 'Save-OciImage' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:repo = "$($registry.Host)/samples/hello"
    }

    AfterAll { Stop-OciTestRegistry }

    It 'saves a multi-platform index with every platform into a layout' {
        $layout = Join-Path $TestDrive 'all'
        $saved = Save-OciImage "${repo}:1.0" -Path $layout
        $saved.MediaType | Should -Be 'application/vnd.oci.image.index.v1+json'
        $saved.Manifests | Should -Be 3
        $saved.Blobs | Should -Be 4
        Get-Content -Raw (Join-Path $layout 'oci-layout') | ConvertFrom-Json | ForEach-Object imageLayoutVersion | Should -Be '1.0.0'
        $index = Get-Content -Raw (Join-Path $layout 'index.json') | ConvertFrom-Json
        $index.manifests[0].digest | Should -Be $saved.Digest
        $index.manifests[0].annotations.'org.opencontainers.image.ref.name' | Should -Be '1.0'
        foreach ($blob in Get-ChildItem (Join-Path $layout 'blobs/sha256')) {
            (Get-FileHash $blob.FullName -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $blob.Name
        }
    }

    It 'saves one platform with -Platform' {
        $layout = Join-Path $TestDrive 'one'
        $saved = Save-OciImage "${repo}:1.0" -Path $layout -Platform linux/arm64
        $saved.MediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
        $saved.Blobs | Should -Be 2
        (Get-Content -Raw (Join-Path $layout 'index.json') | ConvertFrom-Json).manifests[0].platform.architecture | Should -Be 'arm64'
    }

    It 'takes the layout folder as -Destination too, as Save-OciBlob names its folder' {
        $layout = Join-Path $TestDrive 'by-destination'
        $saved = Save-OciImage "${repo}:1.0" -Destination $layout -Platform linux/arm64 -WarningVariable warned
        $saved.Blobs | Should -Be 2
        Test-Path (Join-Path $layout 'index.json') | Should -BeTrue
        $warned | Should -BeNullOrEmpty
    }

    It 'shares one layout between images and reuses blobs already there' {
        $layout = Join-Path $TestDrive 'shared'
        $null = Save-OciImage "${repo}:1.0" -Path $layout
        $again = Save-OciImage "${repo}:latest" -Path $layout
        $again.BlobsReused | Should -Be 4
        $again.BytesDownloaded | Should -Be 0
        $null = Save-OciImage "${repo}:docker" -Path $layout
        (Get-Content -Raw (Join-Path $layout 'index.json') | ConvertFrom-Json).manifests.annotations.'org.opencontainers.image.ref.name' |
            Sort-Object | Should -Be @('1.0', 'docker', 'latest')
    }

    It 'writes a layout that Start-OciTestRegistry serves back unchanged' {
        $layout = Join-Path $TestDrive 'roundtrip'
        $saved = Save-OciImage "${repo}:1.0" -Path $layout
        $served = Start-OciTestRegistry -Path $layout -Repository 'round/trip'
        (Get-OciManifest "$($served.Host)/round/trip:1.0").Digest | Should -Be $saved.Digest
        (Get-OciManifest "$($served.Host)/round/trip:1.0" -Platform linux/amd64).Digest |
            Should -Be (Get-OciManifest "${repo}:1.0" -Platform linux/amd64).Digest
    }

    It 'refuses a blob''s .partial planted as a symlink outside the layout, and leaves that file untouched' -Skip:$IsWindows {
        $layout = Join-Path $TestDrive 'planted'
        $manifest = Get-OciManifest "${repo}:1.0" -Platform linux/amd64
        $layer = $manifest.Layers[0]
        $blobs = New-Item -ItemType Directory (Join-Path $layout 'blobs/sha256')
        $outside = Join-Path $TestDrive 'outside-victim'
        [IO.File]::WriteAllBytes($outside, [byte[]]@(1, 2, 3))
        (Get-Item $outside).LastWriteTimeUtc = [datetime]::new(2020, 1, 2, 3, 4, 5, [DateTimeKind]::Utc)
        $partial = Join-Path $blobs "$($layer.Digest -replace '^sha256:').partial"
        $null = New-Item -ItemType SymbolicLink -Path $partial -Target $outside
        @{ digest = $layer.Digest; size = $layer.Size } | ConvertTo-Json | Set-Content "$partial.json"

        { Save-OciImage "${repo}:1.0" -Path $layout -Platform linux/amd64 -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileLinkRefused,OciRegistry.Commands.SaveOciImageCommand'

        [IO.File]::ReadAllBytes($outside) | Should -Be @(1, 2, 3)
        (Get-Item $outside).LastWriteTimeUtc | Should -Be ([datetime]::new(2020, 1, 2, 3, 4, 5, [DateTimeKind]::Utc))
        Test-Path (Join-Path $layout 'index.json') | Should -BeFalse
    }

    It 'writes nothing with -WhatIf' {
        $layout = Join-Path $TestDrive 'whatif'
        Save-OciImage "${repo}:1.0" -Path $layout -WhatIf
        Test-Path $layout | Should -BeFalse
    }

    It 'reports an unknown tag and writes no index entry' {
        $layout = Join-Path $TestDrive 'missing'
        { Save-OciImage "${repo}:nope" -Path $layout -ErrorAction Stop } |
            Should -Throw -ErrorId 'ManifestNotFound,OciRegistry.Commands.SaveOciImageCommand'
        Test-Path (Join-Path $layout 'index.json') | Should -BeFalse
    }
}
