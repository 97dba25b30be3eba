Describe 'Default views (OciRegistry.Format.ps1xml)' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot 'FakeHttpServer.psm1') -Force
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

        # Two referrers of the sample image: the sample readme (artifact type application/vnd.ociregistry.sample.readme)
        # and an artifact of a type the views have no name for. The test registry has no referrers API, so the
        # referrers tag (sha256-<hex>) that a registry without one keeps lists them too.
        $script:readme = Get-OciManifest "${repo}:readme"
        $empty = [ordered]@{ mediaType = 'application/vnd.oci.empty.v1+json'; digest = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'; size = 2 }
        $null = $registry.AddBlob('samples/hello', [Text.Encoding]::UTF8.GetBytes('{}'))
        $unnamedJson = [ordered]@{
            schemaVersion = 2
            mediaType     = 'application/vnd.oci.image.manifest.v1+json'
            artifactType  = 'application/x.unnamed+json'
            config        = $empty
            layers        = @($empty)
            subject       = [ordered]@{ mediaType = $readme.Subject.MediaType; digest = $readme.Subject.Digest; size = $readme.Subject.Size }
        } | ConvertTo-Json -Depth 5 -Compress
        $unnamedBytes = [Text.Encoding]::UTF8.GetBytes($unnamedJson)
        $script:unnamed = $registry.AddManifest('samples/hello', $unnamedBytes, 'application/vnd.oci.image.manifest.v1+json')
        $referrersIndex = [ordered]@{
            schemaVersion = 2
            mediaType     = 'application/vnd.oci.image.index.v1+json'
            manifests     = @(
                [ordered]@{ mediaType = $readme.MediaType; digest = $readme.Digest; size = $readme.Size; artifactType = $readme.ArtifactType }
                [ordered]@{ mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = $unnamed; size = $unnamedBytes.Length; artifactType = 'application/x.unnamed+json' }
            )
        } | ConvertTo-Json -Depth 5 -Compress
        $null = $registry.AddManifest('samples/hello', [Text.Encoding]::UTF8.GetBytes($referrersIndex),
            'application/vnd.oci.image.index.v1+json', ($readme.Subject.Digest -replace ':', '-'))
        $script:referrers = @(Get-OciReferrer "$repo@$($readme.Subject.Digest)")

        # An artifact Publish-OciArtifact pushed, with a subject.
        $notes = Join-Path $TestDrive 'published-notes.txt'
        Set-Content -Path $notes -Value 'notes' -NoNewline
        $script:published = Publish-OciArtifact "${repo}:notes" -Path $notes -ArtifactType 'application/vnd.example.notes' -Subject $manifest

        # A registry of its own for the faults and the request log, so the counts the views show are known.
        $script:faulty = Start-OciTestRegistry -SampleContent
        New-OciTestRegistryFault Fail -StatusCode 429 -RetryAfter 1 -Count 1 -Path '/v2/samples/hello/manifests/*' -Method GET |
            Add-OciTestRegistryFault $faulty
        New-OciTestRegistryFault CutBody -Path '*/blobs/*' -Count 1 -EachPath | Add-OciTestRegistryFault $faulty
        New-OciTestRegistryFault Redirect -PathRegex 'blobs' -Origin Registry | Add-OciTestRegistryFault $faulty
        $script:pulled = Get-OciManifest "$($faulty.Host)/samples/hello:1.0" -Platform linux/amd64 |
            Save-OciBlob -Destination (Join-Path $TestDrive 'faulty-blobs')
        $script:requests = @(Get-OciTestRegistryRequest $faulty)

        # The test registry has no catalog; a scripted one stands in.
        $script:catalog = Start-FakeHttpServer -Routes @{ '/v2/_catalog' = @{ Body = '{"repositories":["samples/hello","team/app"]}' } }
        $script:repositories = @(Get-OciRepository $catalog.Host)
    }

    AfterAll {
        $registry | Stop-OciTestRegistry
        $faulty | Stop-OciTestRegistry
        $catalog.Stop()
    }

    Context 'OciManifest' {
        It 'shows a short digest, tag, layer count, human total size, short media type and platform' {
            $text = & $render $manifest
            & $headers $text | Should -Be @('Digest', 'Tag', 'Layers', 'TotalSize', 'MediaType', 'Platform')
            $text | Should -Match "Repository: $([regex]::Escape($repo))"
            $row = "$([regex]::Escape((& $short $manifest.Digest))) +1\.0 +1 +$([regex]::Escape((& $human $manifest.TotalSize))) +oci manifest +linux/arm64/v8"
            $text | Should -Match $row
            $text | Should -Not -Match $manifest.Digest
        }

        It 'names a Docker schema 2 manifest honestly' {
            $docker = Get-OciManifest "${repo}:docker"
            & $render $docker | Should -Match "$([regex]::Escape((& $short $docker.Digest))) +docker +\d+ +\S+ +\S+ +docker v2"
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
            & $headers $text | Should -Be @('Digest', 'Type', 'Size', 'Name')
            $text | Should -Match "$([regex]::Escape((& $short $layer.Digest))) +oci layer +$([regex]::Escape((& $human $layer.Size))) +$([regex]::Escape($layer.Title))"
        }

        It 'renders index entries with their platforms' {
            $text = & $render $index.Manifests
            foreach ($entry in $index.Manifests) {
                $text | Should -Match "$([regex]::Escape((& $short $entry.Digest))) +oci manifest +$([regex]::Escape((& $human $entry.Size))) +$([regex]::Escape($entry.Platform.ToString()))"
            }
        }

        It 'shows a long title whole at 80 columns' {
            $manifest.Layers[0].Title.Length | Should -BeGreaterThan 15 -Because 'the old view cut titles at 15 characters'
            $text = & $render $manifest.Layers 80
            $text | Should -Match ([regex]::Escape($manifest.Layers[0].Title))
        }

        It 'shows an unknown media type in full' {
            $readme = Get-OciManifest "${repo}:readme"
            & $render $readme.Layers | Should -Match ([regex]::Escape($readme.Layers[0].MediaType))
        }

        It 'shows a referrer''s artifact type in place of its media type' {
            $text = & $render $referrers 80
            & $headers $text | Should -Be @('Digest', 'Type', 'Size', 'Name')
            $text | Should -Match "$([regex]::Escape((& $short $readme.Digest))) +sample readme +$([regex]::Escape((& $human $readme.Size)))"
            $text | Should -Not -Match 'oci manifest' -Because 'a referrer''s artifact type says more than its manifest media type'
        }

        It 'shows an artifact type it has no name for without its application/ prefix' {
            $text = & $render $referrers 80
            $text | Should -Match "$([regex]::Escape((& $short $unnamed))) +x\.unnamed\+json +$([regex]::Escape((& $human ($referrers | Where-Object Digest -eq $unnamed).Size)))"
        }

        It 'keeps the media type and artifact type in Format-List *' {
            $text = & $render ($referrers[0] | Format-List *) 200
            $text | Should -Match "MediaType +: $([regex]::Escape($readme.MediaType))"
            $text | Should -Match "ArtifactType +: $([regex]::Escape($readme.ArtifactType))"
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

        It 'shows short digest, human size, what the transfer did and the whole name (at 120 columns), under the folder' {
            $text = & $render $saved
            & $headers $text | Should -Be @('Digest', 'Size', 'Transfer', 'Name')
            $text | Should -Match "Directory: $([regex]::Escape($saved[0].DirectoryName))"
            foreach ($file in $saved) {
                $text | Should -Match "$([regex]::Escape((& $short $file.Digest))) +$([regex]::Escape((& $human $file.Length))) +downloaded +$([regex]::Escape($file.Name))\s*$([Environment]::NewLine)"
            }
        }

        It 'shows a titled file''s whole name and its digest at 80 columns' {
            $titled = @($manifest | Save-OciBlob -Destination (Join-Path $TestDrive 'titled') -UseTitle) | Where-Object Name -NotLike 'sha256-*'
            $titled | Should -Not -BeNullOrEmpty
            $text = & $render $titled 80
            & $headers $text | Should -Be @('Digest', 'Size', 'Transfer', 'Name')
            foreach ($file in $titled) {
                $text | Should -Match "$([regex]::Escape((& $short $file.Digest))) .* $([regex]::Escape($file.Name))"
            }
        }

        It 'says when a file was already there' {
            $again = $manifest | Save-OciBlob -Destination $blobFolder
            $text = & $render $again
            @([regex]::Matches($text, ' present ')).Count | Should -Be @($again).Count
        }

        It 'says that a download was resumed, and where in its list view' {
            $bytes = [byte[]]::new(3KB)
            [System.Random]::new(7).NextBytes($bytes)
            $digest = $registry.AddBlob('edge/formats', $bytes)
            $path = Join-Path $TestDrive 'resumed.bin'
            [IO.File]::WriteAllBytes("$path.partial", $bytes[0..(1KB - 1)])
            @{ digest = $digest; size = $bytes.Length } | ConvertTo-Json | Set-Content "$path.partial.json"
            $file = Save-OciBlob "$($registry.Host)/edge/formats" -Digest $digest -OutFile $path
            & $render $file | Should -Match ' resumed '
            & $render ($file | Format-List) | Should -Match 'ResumedFrom +: 1024\b'
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
        It 'shows the URL, authentication, whether it runs, and how many repositories, faults and requests it has' {
            $text = & $render $faulty 80
            & $headers $text | Should -Be @('Url', 'Auth', 'Running', 'Repositories', 'Faults', 'Requests')
            $text | Should -Match "$([regex]::Escape($faulty.Url.ToString())) +Anonymous +True +1 +3 +$($faulty.Requests.Count)\b"
        }

        It 'says which authentication a registry asks for' {
            $bearer = Start-OciTestRegistry -Authentication Bearer
            try { & $render $bearer | Should -Match "$([regex]::Escape($bearer.Url.ToString())) +Bearer +True +0 +0 +0\b" }
            finally { $bearer | Stop-OciTestRegistry }
        }
    }

    Context 'OciTestRegistryFault' {
        It 'shows kind, method, path, count and what each fault does' {
            $text = & $render $faulty.Faults 80
            & $headers $text | Should -Be @('Kind', 'Method', 'Path', 'Count', 'Effect')
            $text | Should -Match "(?m)^Fail +GET +$ellipsis/hello/manifests/\* +first 1 +HTTP 429, Retry-After 1 s\s*$"
            $text | Should -Match '(?m)^CutBody +any +\*/blobs/\* +1 per path +drop halfway\s*$'
            $text | Should -Match '(?m)^Redirect +any +/blobs/ +every +to the CDN \(registry only\)\s*$'
        }

        It 'describes the settings of every kind' {
            $faults = @(
                New-OciTestRegistryFault Fail
                New-OciTestRegistryFault Delay -Delay 1.5
                New-OciTestRegistryFault Stall -Offset 100
                New-OciTestRegistryFault Trickle -BytesPerSecond 64KB -Origin Cdn
                New-OciTestRegistryFault CorruptByte
                New-OciTestRegistryFault IgnoreRange -Count 2
            )
            $text = & $render $faults
            $text | Should -Match '(?m)^Fail +any +\* +every +HTTP 503\s*$'
            $text | Should -Match '(?m)^Delay +any +\* +every +wait 1\.5 s\s*$'
            $text | Should -Match '(?m)^Stall +any +\* +every +hang at byte 100\s*$'
            $text | Should -Match '(?m)^Trickle +any +\* +every +64\.0 KB/s \(CDN only\)\s*$'
            $text | Should -Match '(?m)^CorruptByte +any +\* +every +flip the middle byte\s*$'
            $text | Should -Match '(?m)^IgnoreRange +any +\* +first 2 +200, whole blob\s*$'
        }

        It 'keeps the one-line description in Format-List *' {
            $text = & $render ($faulty.Faults[0] | Format-List *) 200
            $text | Should -Match "Description +: $([regex]::Escape($faulty.Faults[0].Description))"
        }
    }

    Context 'OciTestRegistryRequest' {
        It 'shows time, origin, method, the end of the path, range, status, human bytes and faults' {
            $text = & $render $requests 80
            & $headers $text | Should -Be @('Time', 'Origin', 'Method', 'Path', 'Range', 'Status', 'Bytes', 'Faults')
            $first = $requests[0]
            $time = $first.Time.ToLocalTime().ToString('HH:mm:ss', [cultureinfo]::InvariantCulture)
            $text | Should -Match "(?m)^$time +Registry +GET +$ellipsis/hello/manifests/1\.0 +429 +$([regex]::Escape((& $human $first.BytesSent))) +Fail\s*$"
        }

        It 'shortens digests in the path and keeps the kind of resource: <Kind>' -ForEach @(
            @{ Kind = 'manifests' }, @{ Kind = 'blobs' }
        ) {
            $request = $requests | Where-Object { $_.Path -match "/$Kind/sha256:" } | Select-Object -First 1
            $hex = ($request.Path -split ':')[-1]
            & $render $request 80 | Should -Match "$ellipsis/$Kind/$($hex.Substring(0, 8))$ellipsis "
        }

        It 'shows the CDN origin, a resumed range and the fault that cut a body' {
            $text = & $render $requests 80
            $cut = $requests | Where-Object { $_.Faults -contains 'CutBody' } | Select-Object -First 1
            $cut.Origin | Should -Be 'Cdn'
            $text | Should -Match "(?m)^\S+ +Cdn +GET +$ellipsis/blobs/\w{8}$ellipsis +200 +$([regex]::Escape((& $human $cut.BytesSent))) +CutBody\s*$"
            $resumed = $requests | Where-Object { $_.Range -and $_.Origin -eq 'Cdn' } | Select-Object -First 1
            $resumed | Should -Not -BeNullOrEmpty
            $text | Should -Match "(?m)^\S+ +Cdn +GET +\S+ +$([regex]::Escape($resumed.Range -replace '^bytes=')) +206 "
            $text | Should -Match '(?m)^\S+ +Registry +GET +\S+ +307 +0 B +Redirect\s*$'
        }

        It 'leaves a short path whole' {
            $bearer = Start-OciTestRegistry -SampleContent -Authentication Bearer
            try {
                $null = Get-OciTag "$($bearer.Host)/samples/hello"
                $token = Get-OciTestRegistryRequest $bearer -Path '/token' | Select-Object -First 1
                & $render $token 80 | Should -Match "(?m)^\S+ +Registry +GET +/token +200 +$([regex]::Escape((& $human $token.BytesSent)))\s*$"
            }
            finally { $bearer | Stop-OciTestRegistry }
        }

        It 'keeps the full path, timestamp and byte count in Format-List *' {
            $request = $requests | Where-Object Path -match '/blobs/' | Select-Object -First 1
            $text = & $render ($request | Format-List *) 200
            $text | Should -Match "Path +: $([regex]::Escape($request.Path))"
            $text | Should -Match "BytesSent +: $($request.BytesSent)\b"
        }
    }

    Context 'OciRepository' {
        It 'lists repositories under the registry' {
            $text = & $render $repositories 80
            & $headers $text | Should -Be @('Repository')
            $text | Should -Match "Registry: $([regex]::Escape($catalog.Host))"
            foreach ($name in 'samples/hello', 'team/app') { $text | Should -Match "(?m)^$([regex]::Escape($name))\s*$" }
        }
    }

    Context 'OciPublishedArtifact' {
        It 'shows tag, short digest, file count, human size, whether it has a subject and the short artifact type' {
            $text = & $render $published 80
            & $headers $text | Should -Be @('Tag', 'Digest', 'Files', 'TotalSize', 'Subject', 'ArtifactType')
            $text | Should -Match "Repository: $([regex]::Escape($repo))"
            $row = ($text -split '\r?\n') | Where-Object { $_ -match '^notes\s' }
            $row | Should -Match ([regex]::Escape((& $short $published.Digest)))
            $row | Should -Match '\s1\s+7 B\s+yes\s+example\.notes\s*$'
        }

        It 'keeps the full digest and reference in Format-List *' {
            $list = $published | Format-List * | Out-String -Width 200
            $list | Should -Match ([regex]::Escape($published.Digest))
            $list | Should -Match ([regex]::Escape($published.Reference))
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
                OciTestRegistry = $faulty
                OciTestRegistryFault = $faulty.Faults
                OciTestRegistryRequest = $requests
                OciRepository   = $repositories
                Referrers       = $referrers
                OciPublishedArtifact = $published
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
            'OciRegistry.SavedBlob', 'OciRegistry.Output.OciTestRegistry', 'OciRegistry.Output.OciTestRegistryFault',
            'OciRegistry.Output.OciTestRegistryRequest', 'OciRegistry.Output.OciRepository',
            'OciRegistry.Output.OciPublishedArtifact'
        ) {
            Get-FormatData -TypeName $_ | Should -Not -BeNullOrEmpty
        }
    }
}
