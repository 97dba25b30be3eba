Describe 'Compare-OciImage' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:repo = "$($registry.Host)/samples/hello"
        $script:id = { param($name) "$name,OciRegistry.Commands.CompareOciImageCommand" }
        $script:utf8 = { param([string] $Text) [Text.Encoding]::UTF8.GetBytes($Text) }
        # Rows as text, so that a failure shows them all.
        $script:rows = { param($Differences) @($Differences | ForEach-Object { "$($_.Kind) $($_.Name) $($_.SideIndicator)" }) }

        # An image of our own in edge/app: a config, layers given as text, tagged; returns the manifest's descriptor.
        $script:addImage = {
            param([string] $Tag, [hashtable] $Config, [string[]] $Layers)
            $configBytes = & $utf8 ($Config | ConvertTo-Json -Depth 6 -Compress)
            $layerList = @(foreach ($layer in $Layers) {
                    $bytes = & $utf8 $layer
                    [ordered]@{ mediaType = 'application/vnd.oci.image.layer.v1.tar'; digest = $registry.AddBlob('edge/app', $bytes); size = $bytes.Length }
                })
            $manifest = & $utf8 ([ordered]@{
                    schemaVersion = 2
                    mediaType     = 'application/vnd.oci.image.manifest.v1+json'
                    config        = [ordered]@{ mediaType = 'application/vnd.oci.image.config.v1+json'; digest = $registry.AddBlob('edge/app', $configBytes); size = $configBytes.Length }
                    layers        = $layerList
                } | ConvertTo-Json -Depth 5 -Compress)
            [ordered]@{
                mediaType = 'application/vnd.oci.image.manifest.v1+json'
                digest    = $registry.AddManifest('edge/app', $manifest, 'application/vnd.oci.image.manifest.v1+json', $Tag)
                size      = $manifest.Length
                layers    = $layerList
            }
        }
        $script:addIndex = {
            param([string] $Tag, [object[]] $Entries)
            $bytes = & $utf8 ([ordered]@{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.index.v1+json'; manifests = $Entries } | ConvertTo-Json -Depth 6 -Compress)
            $null = $registry.AddManifest('edge/app', $bytes, 'application/vnd.oci.image.index.v1+json', $Tag)
        }

        $base = 'base layer, shared'
        $script:v1 = & $addImage 'v1' @{
            created = '2025-01-01T00:00:00Z'; os = 'linux'; architecture = 'amd64'
            config  = @{ User = 'root'; Cmd = @('app'); Env = @('PATH=/bin', 'MODE=old', 'KEEP=1'); Labels = [ordered]@{ version = '1.0'; gone = 'x' }; ExposedPorts = @{ '80/tcp' = @{} } }
        } @($base, 'app 1.0')
        $script:v2 = & $addImage 'v2' @{
            created = '2025-02-01T00:00:00Z'; os = 'linux'; architecture = 'amd64'
            config  = @{ User = 'app'; Cmd = @('app', '--fast'); Env = @('KEEP=1', 'PATH=/usr/bin', 'NEW=yes'); Labels = @{ version = '2.0' }; ExposedPorts = @{ '80/tcp' = @{} }; StopSignal = 'SIGINT' }
        } @($base, 'app 2.0 with more bytes', 'extra')
        $arm = & $addImage 'arm' @{ os = 'linux'; architecture = 'arm64'; variant = 'v8'; config = @{ User = 'root' } } @($base, 'app arm')
        $s390x = & $addImage 's390x' @{ os = 'linux'; architecture = 's390x'; config = @{ User = 'root' } } @($base)
        $entry = { param($image, $os, $arch, $variant) $e = [ordered]@{ mediaType = $image.mediaType; digest = $image.digest; size = $image.size; platform = [ordered]@{ os = $os; architecture = $arch } }; if ($variant) { $e.platform.variant = $variant }; $e }
        & $addIndex 'multi1' @((& $entry $v1 linux amd64), (& $entry $arm linux arm64 v8))
        & $addIndex 'multi2' @((& $entry $v2 linux amd64), (& $entry $arm linux arm64 v8), (& $entry $s390x linux s390x))
        $script:app = "$($registry.Host)/edge/app"
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    Context 'two images' {
        BeforeAll { $script:diff = @(Compare-OciImage "${app}:v1" "${app}:v2") }

        It 'writes OciImageDifference objects, layers by place, then config fields, then the size' {
            $diff | Should -Not -BeNullOrEmpty
            $diff | ForEach-Object { $_ | Should -BeOfType ([OciRegistry.Output.OciImageDifference]) }
            & $rows $diff | Should -Be @(
                "Layer $($v1.layers[1].digest) <="
                "Layer $($v2.layers[1].digest) =>"
                "Layer $($v2.layers[2].digest) =>"
                'Config Created <>'
                'Config User <>'
                'Config Cmd <>'
                'Config Env:PATH <>'
                'Config Env:MODE <='
                'Config Env:NEW =>'
                'Config Label:version <>'
                'Config Label:gone <='
                'Config StopSignal =>'
                'Size TotalSize <>'
            )
            $diff | Where-Object Platform | Should -BeNullOrEmpty
        }

        It 'gives layers their sizes and places' {
            $removed = $diff | Where-Object { $_.Kind -eq 'Layer' -and $_.SideIndicator -eq '<=' }
            ($removed.Position, $removed.ReferenceValue, $removed.DifferenceValue) | Should -Be @(1, $v1.layers[1].size, $null)
            $added = @($diff | Where-Object { $_.Kind -eq 'Layer' -and $_.SideIndicator -eq '=>' })
            $added.Position | Should -Be @(1, 2)
            $added.DifferencePosition | Should -Be @(1, 2)
            $added.DifferenceValue | Should -Be @($v2.layers[1].size, $v2.layers[2].size)
        }

        It 'gives old and new values of config fields' {
            $user = $diff | Where-Object Name -EQ 'User'
            ($user.ReferenceValue, $user.DifferenceValue) | Should -Be @('root', 'app')
            $cmd = $diff | Where-Object Name -EQ 'Cmd'
            $cmd.ReferenceValue | Should -Be @('app')
            $cmd.DifferenceValue | Should -Be @('app', '--fast')
            ($diff | Where-Object Name -EQ 'Env:PATH').DifferenceValue | Should -Be '/usr/bin'
            ($diff | Where-Object Name -EQ 'Created').DifferenceValue | Should -Be ([DateTimeOffset]::new(2025, 2, 1, 0, 0, 0, [TimeSpan]::Zero))
        }

        It 'gives the total size of each and the delta, worked out from the manifests' {
            $total = { param($ref) $m = Get-OciManifest $ref; $m.Config.Size + ($m.Layers | Measure-Object Size -Sum).Sum }
            $size = $diff | Where-Object Kind -EQ 'Size'
            $size.ReferenceValue | Should -Be (& $total "${app}:v1")
            $size.DifferenceValue | Should -Be (& $total "${app}:v2")
            $size.Delta | Should -Be ($size.DifferenceValue - $size.ReferenceValue)
        }

        It 'lists the equal ones too with -IncludeEqual' {
            $all = @(Compare-OciImage "${app}:v1" "${app}:v2" -IncludeEqual)
            $equal = @($all | Where-Object SideIndicator -EQ '==')
            & $rows $equal | Should -Be @("Layer $($v1.layers[0].digest) ==", 'Config Os ==', 'Config Architecture ==', 'Config Env:KEEP ==', 'Config ExposedPorts ==')
            ($all | Where-Object SideIndicator -NE '==').Count | Should -Be $diff.Count
        }

        It 'finds nothing between an image and itself, and only == with -IncludeEqual' {
            Compare-OciImage "${app}:v1" "${app}:v1" | Should -BeNullOrEmpty
            (Compare-OciImage "${app}:v1" "${app}:v1" -IncludeEqual).SideIndicator | Sort-Object -Unique | Should -Be '=='
        }

        It 'tells a recompressed layer apart: the Docker sample against the OCI one' {
            $d = @(Compare-OciImage "${repo}:docker" "${repo}:1.0" -Platform linux/amd64)
            & $rows $d | Should -Be @(
                "Layer $((Get-OciManifest "${repo}:docker").Layers[0].Digest) <="
                "Layer $((Get-OciManifest "${repo}:1.0" -Platform linux/amd64).Layers[0].Digest) =>"
                'Size TotalSize <>')
            $d.Platform | Sort-Object -Unique | Should -Be 'linux/amd64'
        }
    }

    Context 'two indexes' {
        It 'compares platform by platform, a platform on one side only being its own difference' {
            $d = @(Compare-OciImage "${app}:multi1" "${app}:multi2")
            $amd64 = @($d | Where-Object Platform -EQ 'linux/amd64')
            & $rows $amd64 | Should -Be (& $rows (Compare-OciImage "${app}:v1" "${app}:v2"))
            @($d | Where-Object Platform -EQ 'linux/arm64/v8') | Should -HaveCount 0
            $only = @($d | Where-Object Kind -EQ 'Platform')
            & $rows $only | Should -Be @('Platform linux/s390x =>')
            $only[0].DifferenceValue | Should -Be $s390x.digest
            $only[0].Platform | Should -Be 'linux/s390x'
        }

        It 'shows the shared platform as equal with -IncludeEqual' {
            $arm = @(Compare-OciImage "${app}:multi1" "${app}:multi2" -IncludeEqual | Where-Object Platform -EQ 'linux/arm64/v8')
            $arm | Should -Not -BeNullOrEmpty
            $arm.SideIndicator | Sort-Object -Unique | Should -Be '=='
        }

        It 'compares one platform of each with -Platform' {
            $d = @(Compare-OciImage "${app}:multi1" "${app}:multi2" -Platform linux/amd64)
            & $rows $d | Should -Be (& $rows (Compare-OciImage "${app}:v1" "${app}:v2"))
            $d.Platform | Sort-Object -Unique | Should -Be 'linux/amd64'
        }

        It 'labels the results with the platform chosen, not the one asked for' {
            $d = @(Compare-OciImage "${app}:multi1" "${repo}:1.0" -Platform linux/arm64)
            $d | Should -Not -BeNullOrEmpty
            $d.Platform | Sort-Object -Unique | Should -Be 'linux/arm64/v8'
        }

        It 'fails with PlatformNotFound when one index lacks -Platform' {
            { Compare-OciImage "${app}:multi1" "${app}:multi2" -Platform linux/s390x -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'PlatformNotFound')
        }
    }

    Context 'the pipeline and errors' {
        It 'takes the difference image from the pipeline, by its Reference' {
            $d = @(Get-OciManifest "${app}:v2" | Compare-OciImage "${app}:v1")
            & $rows $d | Should -Be (& $rows (Compare-OciImage "${app}:v1" "${app}:v2"))
        }

        It 'needs -Platform for an index against a single image, and lists its platforms' {
            $err = $null
            Compare-OciImage "${app}:multi1" "${app}:v2" -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'IndexNeedsPlatform')
            "$($err[0])" | Should -Match 'linux/amd64, linux/arm64/v8'
            $err[0].TargetObject | Should -Be "${app}:multi1"
        }

        It 'says an artifact has no image config to compare' {
            { Compare-OciImage "${repo}:readme" "${repo}:docker" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'NotAnImageConfig')
        }

        It 'names the side that is missing' {
            $err = $null
            Compare-OciImage "${app}:v1" "${app}:nope" -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'ManifestNotFound')
            $err[0].TargetObject | Should -Be "${app}:nope"
        }

        It 'fails with InvalidReference before any request' {
            Clear-OciTestRegistryRequest $registry
            { Compare-OciImage 'UPPER/Case' "${app}:v1" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidReference')
            Get-OciTestRegistryRequest $registry | Should -BeNullOrEmpty
        }
    }

    Context 'the view' {
        It 'groups by platform and keeps every column within 80 columns' {
            $d = @(Compare-OciImage "${app}:multi1" "${app}:multi2" -IncludeEqual)
            $text = $d | Out-String -Width 80
            $text | Should -Match 'Platform: linux/amd64'
            $text | Should -Match 'Platform: linux/s390x'
            $text | Should -Match 'Kind +At +Name +Side +ReferenceValue +DifferenceValue'
            $short = $v1.layers[1].digest.Substring(0, 19) + [char] 0x2026
            $text | Should -Match "Layer +1 $([regex]::Escape($short)) +<= +\d+ B"
            $text | Should -Match 'Config +User +<> +root +app'
            $text | Should -Match 'Config +Cmd +<> +app +app --fast'
            $text -split '\r?\n' | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
            (Compare-OciImage "${app}:v1" "${app}:v2" | Out-String -Width 80) | Should -Match 'Platform: \(single images\)'
        }

        It 'renders without script errors under the strictest mode' {
            Set-StrictMode -Version Latest
            try {
                (Compare-OciImage "${app}:multi1" "${app}:multi2" -IncludeEqual | Format-Table -DisplayError | Out-String) | Should -Not -Match '#ERR'
            }
            finally { Set-StrictMode -Off }
        }
    }

    Context 'Tab completion' {
        It 'completes -Platform from the platforms of -ReferenceObject''s index' {
            $line = "Compare-OciImage ${repo}:1.0 ${repo}:latest -Platform "
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('linux/amd64', 'linux/arm64/v8')
            $line = "Compare-OciImage -ReferenceObject ${repo}:1.0 -Platform linux/arm"
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('linux/arm64/v8')
        }
    }
}
