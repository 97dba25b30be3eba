Describe 'Get-OciImageConfig' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:repo = "$($registry.Host)/samples/hello"
        $script:id = { param($name) "$name,OciRegistry.Commands.GetOciImageConfigCommand" }
        $script:sent = { @(Get-OciTestRegistryRequest $registry | ForEach-Object { "$($_.Method) $($_.Path) $($_.StatusCode)" }) }
        $script:utf8 = { param([string] $Text) [Text.Encoding]::UTF8.GetBytes($Text) }

        # An image of our own: the config bytes as given, one layer per string, the manifest in the form asked for.
        $script:addImage = {
            param([string] $Repository, [string] $Tag, [string] $Config, [string[]] $Layers = @('layer'),
                [string] $ConfigType = 'application/vnd.oci.image.config.v1+json', [Nullable[long]] $ConfigSize = $null)
            $configBytes = & $utf8 $Config
            $configDigest = $registry.AddBlob($Repository, $configBytes)
            $layerList = @(foreach ($layer in $Layers) {
                    $bytes = & $utf8 $layer
                    [ordered]@{ mediaType = 'application/vnd.oci.image.layer.v1.tar'; digest = $registry.AddBlob($Repository, $bytes); size = $bytes.Length }
                })
            $size = if ($null -ne $ConfigSize) { $ConfigSize } else { $configBytes.Length }
            $manifest = [ordered]@{
                schemaVersion = 2
                mediaType     = 'application/vnd.oci.image.manifest.v1+json'
                config        = [ordered]@{ mediaType = $ConfigType; digest = $configDigest; size = $size }
                layers        = $layerList
            } | ConvertTo-Json -Depth 5 -Compress
            $null = $registry.AddManifest($Repository, (& $utf8 $manifest), 'application/vnd.oci.image.manifest.v1+json', $Tag)
            "$($registry.Host)/${Repository}:$Tag"
        }

        $script:richJson = @'
{"created":"2025-03-04T05:06:07.123456789Z","author":"ci@example.com","architecture":"arm","variant":"v7","os":"linux",
 "config":{"User":"1000:1000","WorkingDir":"/app","Entrypoint":["/usr/bin/tini","--"],"Cmd":["app","--listen=:8080"],
   "Env":["PATH=/usr/bin:/bin","OPTS=-Dx=y","TERM","PATH=/app/bin"],
   "Labels":{"org.opencontainers.image.version":"2.1.0","org.opencontainers.image.source":"https://example.com/app"},
   "ExposedPorts":{"8080/tcp":{},"9090/udp":{}},"Volumes":{"/data":{},"/cache":{}},"StopSignal":"SIGQUIT"},
 "container_config":{"User":"builder","Env":["BUILDER=1"],"Labels":{"builder":"yes"}},
 "rootfs":{"type":"layers","diff_ids":["sha256:1111111111111111111111111111111111111111111111111111111111111111"]},
 "history":[{"created":"2025-03-04T05:00:00Z","created_by":"ADD rootfs.tar /","comment":"base"},
            {"created":"2025-03-04T05:06:07Z","created_by":"ENV PATH=/app/bin","empty_layer":true,"author":"ci"}]}
'@
        $script:rich = & $addImage 'edge/rich' 'v1' $richJson
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    BeforeEach { Clear-OciTestRegistryRequest $registry }

    Context 'the sample images' {
        It 'reads the linux/amd64 config of the index as the blob''s own JSON says' {
            $config = Get-OciImageConfig "${repo}:1.0" -Platform linux/amd64
            $manifest = Get-OciManifest "${repo}:1.0" -Platform linux/amd64
            $json = $manifest | Get-OciBlob -Config | ConvertFrom-Json

            $config | Should -BeOfType ([OciRegistry.Output.OciImageConfig])
            $config.Digest | Should -Be $manifest.Config.Digest
            $config.Size | Should -Be $manifest.Config.Size
            $config.MediaType | Should -Be 'application/vnd.oci.image.config.v1+json'
            $config.Reference | Should -Be "$repo@$($manifest.Config.Digest)"
            $config.Manifest | Should -Be $manifest.Reference
            $config.Os | Should -Be 'linux'
            $config.Architecture | Should -Be 'amd64'
            $config.Variant | Should -BeNullOrEmpty
            $config.Platform | Should -Be 'linux/amd64'
            $config.Created | Should -Be ([DateTimeOffset]::new(2024, 1, 1, 0, 0, 0, [TimeSpan]::Zero))
            $config.Cmd | Should -Be $json.config.Cmd
            $config.Entrypoint | Should -HaveCount 0
            $config.Env['PATH'] | Should -Be ($json.config.Env[0] -replace '^PATH=')
            $config.DiffIds | Should -Be $json.rootfs.diff_ids
            $config.History | Should -HaveCount 1
            $config.History[0].CreatedBy | Should -Be $json.history[0].created_by
            $config.History[0].EmptyLayer | Should -BeFalse
        }

        It 'reads the Docker image without -Platform, with one GET of the manifest and one of the config' {
            $config = Get-OciImageConfig "${repo}:docker"
            $config.MediaType | Should -Be 'application/vnd.docker.container.image.v1+json'
            $config.Platform | Should -Be 'linux/amd64'
            & $sent | Should -Be @('GET /v2/samples/hello/manifests/docker 200', "GET /v2/samples/hello/blobs/$($config.Digest) 200")
        }

        It 'checks a single image against -Platform from the same read' {
            (Get-OciImageConfig "${repo}:docker" -Platform linux/amd64).Platform | Should -Be 'linux/amd64'
            @(& $sent) | Should -HaveCount 2
            { Get-OciImageConfig "${repo}:docker" -Platform linux/arm64 -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'PlatformNotFound')
        }
    }

    Context 'a config with every field' {
        BeforeAll { $script:config = Get-OciImageConfig $rich }

        It 'reads the fields under config, not container_config' {
            $config.User | Should -Be '1000:1000'
            $config.WorkingDir | Should -Be '/app'
            $config.Entrypoint | Should -Be @('/usr/bin/tini', '--')
            $config.Cmd | Should -Be @('app', '--listen=:8080')
            $config.ExposedPorts | Should -Be @('8080/tcp', '9090/udp')
            $config.Volumes | Should -Be @('/data', '/cache')
            $config.StopSignal | Should -Be 'SIGQUIT'
            $config.Author | Should -Be 'ci@example.com'
            $config.Platform | Should -Be 'linux/arm/v7'
            $config.Labels.Keys | Should -Not -Contain 'builder'
            $config.Env.Keys | Should -Not -Contain 'BUILDER'
        }

        It 'keeps nanosecond times to the tick' {
            $config.Created.UtcDateTime.ToString('o') | Should -Be '2025-03-04T05:06:07.1234567Z'
        }

        It 'has Env as an ordered dictionary split at the first =, a repeated name keeping its place and last value' {
            $config.Env | Should -BeOfType ([System.Collections.Specialized.OrderedDictionary])
            @($config.Env.Keys) | Should -Be @('PATH', 'OPTS', 'TERM')
            $config.Env['PATH'] | Should -Be '/app/bin'
            $config.Env['OPTS'] | Should -Be '-Dx=y'
            $config.Env.Contains('TERM') | Should -BeTrue
            $config.Env['TERM'] | Should -BeNullOrEmpty
        }

        It 'has Labels as a dictionary, a missing label being $null' {
            $config.Labels['org.opencontainers.image.version'] | Should -Be '2.1.0'
            $config.Labels['org.opencontainers.image.source'] | Should -Be 'https://example.com/app'
            $config.Labels['no.such.label'] | Should -BeNullOrEmpty
            $config.Labels.Count | Should -Be 2
        }

        It 'reads the history with its empty layers' {
            $config.History.CreatedBy | Should -Be @('ADD rootfs.tar /', 'ENV PATH=/app/bin')
            $config.History.EmptyLayer | Should -Be @($false, $true)
            $config.History[0].Comment | Should -Be 'base'
            $config.History[1].Author | Should -Be 'ci'
            $config.History[1].Created | Should -Be ([DateTimeOffset]::new(2025, 3, 4, 5, 6, 7, [TimeSpan]::Zero))
        }

        It 'pipes into Get-OciBlob as the config blob' {
            $config | Get-OciBlob | Should -Be $richJson
        }
    }

    Context 'the pipeline' {
        It 'takes a manifest from Get-OciManifest -Platform' {
            $manifest = Get-OciManifest "${repo}:1.0" -Platform linux/arm64
            $config = $manifest | Get-OciImageConfig
            $config.Manifest | Should -Be $manifest.Reference
            $config.Platform | Should -Be 'linux/arm64/v8'
        }

        It 'takes every entry of an index, each with its platform' {
            $configs = @((Get-OciManifest "${repo}:1.0").Manifests | Get-OciImageConfig)
            $configs.Platform | Should -Be @('linux/amd64', 'linux/arm64/v8')
        }

        It 'carries on past one bad reference' {
            $configs = @("${repo}:docker", "${repo}:nope", $rich | Get-OciImageConfig -ErrorVariable failed -ErrorAction SilentlyContinue)
            $configs.User | Should -Be @($null, '1000:1000')
            $failed | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -Be (& $id 'ManifestNotFound')
        }
    }

    Context 'errors' {
        It 'refuses an index without -Platform, listing its platforms, without reading a config' {
            $err = $null
            Get-OciImageConfig "${repo}:1.0" -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'IndexNeedsPlatform')
            "$($err[0])" | Should -Match 'linux/amd64, linux/arm64/v8'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].ErrorDetails.RecommendedAction | Should -Match '-Platform linux/amd64'
            & $sent | Should -Be @('GET /v2/samples/hello/manifests/1.0 200')
        }

        It 'says an artifact with the empty config is not an image, naming its type, before reading the config' {
            $err = $null
            Get-OciImageConfig "${repo}:readme" -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'NotAnImageConfig')
            "$($err[0])" | Should -Match 'application/vnd\.ociregistry\.sample\.readme'
            "$($err[0])" | Should -Match 'empty config \(application/vnd\.oci\.empty\.v1\+json\)'
            & $sent | Should -Be @('GET /v2/samples/hello/manifests/readme 200')
        }

        It 'says a Helm chart is not an image' {
            $helm = & $addImage 'edge/helm' '0.1.0' '{"name":"chart","version":"0.1.0","apiVersion":"v2"}' -ConfigType 'application/vnd.cncf.helm.config.v1+json'
            { Get-OciImageConfig $helm -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'NotAnImageConfig') -ExpectedMessage '*application/vnd.cncf.helm.config.v1+json*'
        }

        It 'fails with ImageConfigInvalid for a field of the wrong type: <Json>' -ForEach @(
            @{ Json = '{"config":{"Cmd":"/bin/sh"}}'; Where = 'config.Cmd' }
            @{ Json = '{"config":{"Labels":{"a":1}}}'; Where = 'config.Labels.a' }
            @{ Json = '{"created":"last tuesday"}'; Where = 'created' }
            @{ Json = '[1,2]'; Where = 'should be an object' }
            @{ Json = 'not json'; Where = 'not valid JSON' }
        ) {
            $bad = & $addImage 'edge/bad' 'bad' $Json
            $err = $null
            Get-OciImageConfig $bad -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'ImageConfigInvalid')
            $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
            "$($err[0])" | Should -BeLike "*$Where*"
        }

        It 'takes nothing the manifest did not announce: a config of another size is BlobDigestMismatch' {
            $liar = & $addImage 'edge/liar' 'v1' '{"os":"linux","architecture":"amd64"}' -ConfigSize 10
            { Get-OciImageConfig $liar -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'BlobDigestMismatch')
        }

        It 'refuses a config over 4 MiB before asking for it' {
            $big = & $addImage 'edge/big' 'v1' '{}' -ConfigSize (4MB + 1)
            Clear-OciTestRegistryRequest $registry
            { Get-OciImageConfig $big -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'BlobTooLarge')
            & $sent | Should -Be @('GET /v2/edge/big/manifests/v1 200')
        }

        It 'fails with InvalidReference and InvalidPlatform before any request' {
            { Get-OciImageConfig 'UPPER/Case:tag' -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidReference')
            { Get-OciImageConfig "${repo}:1.0" -Platform amd64 -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidPlatform')
            & $sent | Should -BeNullOrEmpty
        }
    }

    Context 'views' {
        BeforeAll {
            $script:configs = @((Get-OciManifest "${repo}:1.0").Manifests | Get-OciImageConfig) + @(Get-OciImageConfig $rich)
            $script:ellipsis = [string] [char] 0x2026
        }

        It 'shows a table of short digest, platform, creation day, user and command within 80 columns' {
            $text = $configs | Out-String -Width 80
            $lines = $text -split '\r?\n'
            ($lines | Where-Object { $_ -match '^-+( +-+)*\s*$' } | Select-Object -First 1) | Should -Not -BeNullOrEmpty
            $text | Should -Match 'Digest +Platform +Created +User +Command'
            $short = $configs[2].Digest.Substring(0, 19) + $ellipsis
            $text | Should -Match "$([regex]::Escape($short)) +linux/arm/v7 +2025-03-04 +1000:1000 +/usr/bin/tini -- app"
            $lines | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
        }

        It 'has a list view with one variable and label a line, within 80 columns' {
            $text = $configs[2] | Format-List | Out-String -Width 80
            $text | Should -Match 'Entrypoint +: \["/usr/bin/tini", "--"\]'
            $text | Should -Match '(?m)^Env +: PATH=/app/bin$'
            $text | Should -Match '(?m)^ +OPTS=-Dx=y$'
            $text | Should -Match '(?m)^ +TERM$'
            $text | Should -Match 'org\.opencontainers\.image\.version=2\.1\.0'
            $text | Should -Match 'History +: 2 steps, 1 with a layer'
            $text | Should -Match 'DiffIds +: 1 layer\b'
            $text -split '\r?\n' | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
        }

        It 'renders both views without script errors under the strictest mode' {
            Set-StrictMode -Version Latest
            try {
                ($configs | Format-Table -DisplayError | Out-String) | Should -Not -Match '#ERR'
                ($configs | Format-List -DisplayError | Out-String) | Should -Not -Match '#ERR'
            }
            finally { Set-StrictMode -Off }
        }
    }

    Context 'Tab completion' {
        BeforeAll {
            $script:complete = {
                param([string] $Line)
                @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
            }
        }

        It 'completes tags and the platforms of the index' {
            & $complete "Get-OciImageConfig ${repo}:d" | Should -Be @("${repo}:docker")
            & $complete "Get-OciImageConfig ${repo}:1.0 -Platform " | Should -Be @('linux/amd64', 'linux/arm64/v8')
        }
    }
}
