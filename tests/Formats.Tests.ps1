Describe 'Default views (OciRegistry.Format.ps1xml)' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:repo = "$($registry.Host)/samples/hello"
        $script:index = Get-OciManifest "${repo}:1.0"
        $script:manifest = Get-OciManifest "${repo}:1.0" -Platform linux/arm64
        $script:ellipsis = [string] [char] 0x2026

        # What the views should print, worked out here rather than by the code under test.
        $script:short = { param([string] $Digest) $Digest.Substring(0, 'sha256:'.Length + 12) + $ellipsis }
        $script:human = {
            param([long] $Bytes)
            if ($Bytes -lt 1KB) { return "$Bytes B" }
            $value = [double] $Bytes; $unit = 0
            while ($value -ge 1024 -and $unit -lt 4) { $value /= 1024; $unit++ }
            return $value.ToString('0.0', [cultureinfo]::InvariantCulture) + ' ' + @('B', 'KB', 'MB', 'GB', 'TB')[$unit]
        }
        # The header line of the (first) table in $Text, split into column names.
        $script:headers = {
            param([string] $Text)
            $lines = $Text -split '\r?\n'
            for ($i = 1; $i -lt $lines.Count; $i++) {
                if ($lines[$i] -match '^-+( +-+)*\s*$') { return @($lines[$i - 1].Trim() -split '\s+') }
            }
            return @()
        }
        $script:render = { param($InputObject, [int] $Width = 120) ($InputObject | Out-String -Width $Width) }
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    Context 'OciManifest' {
        It 'shows a short digest, short media type, platform, layer count, human total size and tag' {
            $text = & $render $manifest
            & $headers $text | Should -Be @('Digest', 'MediaType', 'Platform', 'Layers', 'Size', 'Tag')
            $text | Should -Match "Repository: $([regex]::Escape($repo))"
            $row = "$([regex]::Escape((& $short $manifest.Digest))) +oci manifest +linux/arm64/v8 +1 +$([regex]::Escape((& $human $manifest.TotalSize))) +1\.0"
            $text | Should -Match $row
            $text | Should -Not -Match $manifest.Digest
        }

        It 'names a Docker schema 2 manifest honestly' {
            $docker = Get-OciManifest "${repo}:docker"
            & $render $docker | Should -Match "$([regex]::Escape((& $short $docker.Digest))) +docker v2 "
        }

        It 'keeps full digests and byte sizes in Format-List *' {
            $text = & $render ($manifest | Format-List *) 200
            $text | Should -Match "Digest +: $($manifest.Digest)"
            $text | Should -Match "TotalSize +: $($manifest.TotalSize)\b"
            $text | Should -Match "Reference +: $([regex]::Escape($manifest.Reference))"
        }
    }

    Context 'OciIndex' {
        It 'shows a short digest, media type, manifest count, tag and the platforms joined' {
            $text = & $render $index
            & $headers $text | Should -Be @('Digest', 'MediaType', 'Manifests', 'Tag', 'Platforms')
            $text | Should -Match "$([regex]::Escape((& $short $index.Digest))) +oci index +2 +1\.0 +linux/amd64, linux/arm64/v8"
        }

        It 'keeps the full digest and platform list in Format-List *' {
            $text = & $render ($index | Format-List *) 200
            $text | Should -Match "Digest +: $($index.Digest)"
            $text | Should -Match 'Platforms +: \{linux/amd64, linux/arm64/v8\}'
            $text | Should -Match "Size +: $($index.Size)\b"
        }
    }

    Context 'OciDescriptor' {
        It 'renders $manifest.Layers as rows with media type, human size and title' {
            $layer = $manifest.Layers[0]
            $text = & $render $manifest.Layers
            & $headers $text | Should -Be @('Digest', 'MediaType', 'Size', 'Platform', 'Title')
            $text | Should -Match "$([regex]::Escape((& $short $layer.Digest))) +oci layer +$([regex]::Escape((& $human $layer.Size))) +$([regex]::Escape($layer.Title))"
        }

        It 'renders index entries with their platforms' {
            $text = & $render $index.Manifests
            foreach ($entry in $index.Manifests) {
                $text | Should -Match "$([regex]::Escape((& $short $entry.Digest))) +oci manifest +$([regex]::Escape((& $human $entry.Size))) +$([regex]::Escape($entry.Platform.ToString()))"
            }
        }

        It 'shows an unknown media type in full' {
            $readme = Get-OciManifest "${repo}:readme"
            & $render $readme.Layers | Should -Match ([regex]::Escape($readme.Layers[0].MediaType))
        }

        It 'keeps the full digest and byte size in Format-List *' {
            $layer = $manifest.Layers[0]
            $text = & $render ($layer | Format-List *) 200
            $text | Should -Match "Digest +: $($layer.Digest)"
            $text | Should -Match "Size +: $($layer.Size)\b"
        }
    }

    Context 'OciTag and OciPlatform' {
        It 'lists tags plainly under their repository' {
            $text = & $render (Get-OciTag $repo)
            & $headers $text | Should -Be @('Tag')
            $text | Should -Match "Repository: $([regex]::Escape($repo))"
            foreach ($tag in '1.0', 'docker', 'latest', 'readme') { $text | Should -Match "(?m)^$([regex]::Escape($tag))\s*$" }
        }

        It 'shows a platform as its parts' {
            $text = & $render $manifest.Platform
            & $headers $text | Should -Be @('Os', 'Architecture', 'Variant', 'OsVersion', 'OsFeatures')
            $text | Should -Match '(?m)^linux +arm64 +v8'
        }
    }

    Context 'OciSavedImage' {
        It 'shows tag, short digest, blob counts, human download size and elapsed time under the layout' {
            $layout = Join-Path $TestDrive 'layout'
            $first = Save-OciImage "${repo}:1.0" -Path $layout
            $text = & $render $first
            & $headers $text | Should -Be @('Tag', 'Digest', 'Manifests', 'Blobs', 'Reused', 'Downloaded', 'Elapsed')
            $text | Should -Match "Layout: $([regex]::Escape($first.Path))"
            $text | Should -Match "1\.0 +$([regex]::Escape((& $short $first.Digest))) +$($first.Manifests) +$($first.Blobs) +0 +$([regex]::Escape((& $human $first.BytesDownloaded))) +\d+\.\d\d s"

            $again = Save-OciImage "${repo}:1.0" -Path $layout
            & $render $again | Should -Match " +$($again.Blobs) +$($again.Blobs) +0 B +\d+\.\d\d s"
        }

        It 'keeps the full digest and byte count in Format-List *' {
            $saved = Save-OciImage "${repo}:docker" -Path (Join-Path $TestDrive 'docker-layout')
            $text = & $render ($saved | Format-List *) 200
            $text | Should -Match "Digest +: $($saved.Digest)"
            $text | Should -Match "BytesDownloaded +: $($saved.BytesDownloaded)\b"
        }
    }

    Context 'Save-OciBlob output (OciRegistry.SavedBlob)' {
        BeforeAll {
            $script:blobFolder = Join-Path $TestDrive 'blobs'
            $script:saved = @($manifest | Save-OciBlob -Destination $blobFolder)
        }

        It 'shows short digest, human size, what the transfer did and attempts, under the folder' {
            $text = & $render $saved
            & $headers $text | Should -Be @('Digest', 'Size', 'Transfer', 'Attempts', 'Name')
            $text | Should -Match "Directory: $([regex]::Escape($saved[0].DirectoryName))"
            foreach ($file in $saved) {
                $text | Should -Match "$([regex]::Escape((& $short $file.Digest))) +$([regex]::Escape((& $human $file.Length))) +downloaded +1 +$([regex]::Escape($file.Name.Substring(0, [Math]::Min(20, $file.Name.Length))))"
            }
        }

        It 'says when a file was already there' {
            $again = $manifest | Save-OciBlob -Destination $blobFolder
            $text = & $render $again
            @([regex]::Matches($text, 'already present')).Count | Should -Be @($again).Count
        }

        It 'says where a resumed download picked up' {
            $bytes = [byte[]]::new(3KB)
            [System.Random]::new(7).NextBytes($bytes)
            $digest = $registry.AddBlob('edge/formats', $bytes)
            $path = Join-Path $TestDrive 'resumed.bin'
            [IO.File]::WriteAllBytes("$path.partial", $bytes[0..(1KB - 1)])
            @{ digest = $digest; size = $bytes.Length } | ConvertTo-Json | Set-Content "$path.partial.json"
            $file = Save-OciBlob "$($registry.Host)/edge/formats" -Digest $digest -Path $path
            & $render $file | Should -Match 'resumed at 1\.0 KB'
        }

        It 'has a list view with the transfer facts, full digest and byte size, which FileInfo''s own would hide' {
            $file = $saved[0]
            $text = & $render ($file | Format-List) 200
            $text | Should -Match "FullName +: $([regex]::Escape($file.FullName))"
            $text | Should -Match "Length +: $($file.Length)\b"
            $text | Should -Match "Digest +: $($file.Digest)"
            $text | Should -Match 'AlreadyPresent +: False'
            $text | Should -Match 'Attempts +: 1'
            $star = & $render ($file | Format-List *) 200
            $star | Should -Match "Digest +: $($file.Digest)"
            $star | Should -Match "Length +: $($file.Length)\b"
        }
    }

    Context 'OciTestRegistry' {
        It 'shows the URL, the host for references, whether it runs and how many repositories it serves' {
            $text = & $render $registry
            & $headers $text | Should -Be @('Url', 'Host', 'Running', 'Repositories')
            $text | Should -Match "$([regex]::Escape($registry.Url.ToString())) +$([regex]::Escape($registry.Host)) +True +$(@($registry.Repositories).Count)\b"
        }
    }

    Context 'every view' {
        BeforeAll {
            $script:samples = [ordered]@{
                OciManifest     = $manifest
                OciIndex        = $index
                OciDescriptor   = $manifest.Layers
                OciTag          = Get-OciTag $repo
                OciPlatform     = $manifest.Platform
                OciSavedImage   = Save-OciImage "${repo}:1.0" -Path (Join-Path $TestDrive 'every-layout')
                SavedBlob       = $manifest | Save-OciBlob -Destination (Join-Path $TestDrive 'every-blobs')
                OciTestRegistry = $registry
            }
        }

        It 'keeps every column in 80 columns' {
            foreach ($name in $samples.Keys) {
                $wide = & $headers (& $render $samples[$name] 120)
                $narrow = & $headers (& $render $samples[$name] 80)
                $narrow | Should -Be $wide -Because "the $name view should not drop columns at 80"
                (& $render $samples[$name] 80) -split '\r?\n' | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
            }
        }

        It 'renders without script errors under the strictest mode' {
            Set-StrictMode -Version Latest
            try {
                foreach ($name in $samples.Keys) {
                    $text = $samples[$name] | Format-Table -DisplayError | Out-String -Width 120
                    $text | Should -Not -Match '#ERR' -Because "the $name view's script blocks should not fail"
                }
            }
            finally { Set-StrictMode -Off }
        }

        It 'is registered for <_>' -ForEach @(
            'OciRegistry.Output.OciManifest', 'OciRegistry.Output.OciIndex', 'OciRegistry.Output.OciDescriptor',
            'OciRegistry.Output.OciTag', 'OciRegistry.Output.OciPlatform', 'OciRegistry.Output.OciSavedImage',
            'OciRegistry.SavedBlob', 'OciRegistry.Output.OciTestRegistry'
        ) {
            Get-FormatData -TypeName $_ | Should -Not -BeNullOrEmpty
        }
    }
}
