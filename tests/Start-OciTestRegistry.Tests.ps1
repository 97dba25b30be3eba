Describe 'Start-OciTestRegistry and Stop-OciTestRegistry' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
    }

    AfterAll { Stop-OciTestRegistry }

    It 'starts on 127.0.0.1 on a free port and answers /v2/' {
        $registry = Start-OciTestRegistry
        try {
            $registry | Should -BeOfType ([OciRegistry.Output.OciTestRegistry])
            $registry.Url.Host | Should -Be '127.0.0.1'
            $registry.Host | Should -Be "127.0.0.1:$($registry.Port)"
            $response = Invoke-WebRequest "$($registry.Url)v2/" -SkipHttpErrorCheck
            $response.StatusCode | Should -Be 200
            $response.Headers['Docker-Distribution-API-Version'] | Should -Be 'registry/2.0'
        }
        finally { $registry | Stop-OciTestRegistry }
    }

    It 'frees the port on stop, so the same port can be taken again' {
        $first = Start-OciTestRegistry
        $port = $first.Port
        $first | Stop-OciTestRegistry
        $first.IsRunning | Should -BeFalse
        $second = Start-OciTestRegistry -Port $port
        try { $second.Port | Should -Be $port } finally { $second.Stop() }
    }

    It 'runs several registries at once' {
        $a = Start-OciTestRegistry -SampleContent
        $b = Start-OciTestRegistry -SampleContent
        try {
            $a.Port | Should -Not -Be $b.Port
            (Get-OciManifest "$($a.Host)/samples/hello:1.0").Digest | Should -Be (Get-OciManifest "$($b.Host)/samples/hello:1.0").Digest
        }
        finally { $a, $b | Stop-OciTestRegistry }
    }

    It 'starts nothing with -WhatIf' {
        Start-OciTestRegistry -WhatIf | Should -BeNullOrEmpty
    }

    It 'stops every registry of the session when called bare, and nothing for an empty pipeline' {
        $a = Start-OciTestRegistry
        @() | Stop-OciTestRegistry
        $a.IsRunning | Should -BeTrue
        Stop-OciTestRegistry
        $a.IsRunning | Should -BeFalse
    }

    It 'serves an OCI layout folder, tags from org.opencontainers.image.ref.name' {
        $sample = Start-OciTestRegistry -SampleContent
        try {
            # Build a layout by hand from the sample registry's content: oci-layout, index.json and blobs.
            $layout = Join-Path $TestDrive 'hello-layout'
            $blobs = Join-Path $layout 'blobs/sha256'
            $null = New-Item -ItemType Directory -Force $blobs
            Set-Content (Join-Path $layout 'oci-layout') '{"imageLayoutVersion":"1.0.0"}'
            $manifest = Get-OciManifest "$($sample.Host)/samples/hello:docker"
            [IO.File]::WriteAllBytes((Join-Path $blobs $manifest.Digest.Substring(7)), $manifest.GetRawContent())
            foreach ($d in @($manifest.Config) + $manifest.Layers) {
                $bytes = (Invoke-WebRequest "$($sample.Url)v2/samples/hello/blobs/$($d.Digest)").Content
                [IO.File]::WriteAllBytes((Join-Path $blobs $d.Digest.Substring(7)), [byte[]] $bytes)
            }
            @{ schemaVersion = 2; manifests = @(@{ mediaType = $manifest.MediaType; digest = $manifest.Digest; size = $manifest.Size; annotations = @{ 'org.opencontainers.image.ref.name' = 'v1' } }) } |
                ConvertTo-Json -Depth 5 | Set-Content (Join-Path $layout 'index.json')

            $served = Start-OciTestRegistry -Path $layout
            try {
                $served.Repositories | Should -Be @('hello-layout')
                (Get-OciManifest "$($served.Host)/hello-layout:v1").Digest | Should -Be $manifest.Digest
            }
            finally { $served | Stop-OciTestRegistry }
        }
        finally { $sample | Stop-OciTestRegistry }
    }

    It 'refuses a folder that is not an OCI layout' {
        $empty = Join-Path $TestDrive 'not-a-layout'
        $null = New-Item -ItemType Directory -Force $empty
        { Start-OciTestRegistry -Path $empty -ErrorAction Stop } |
            Should -Throw -ErrorId 'LayoutUnreadable,OciRegistry.Commands.StartOciTestRegistryCommand'
    }

    Context 'layouts are read, not followed' {
        BeforeAll {
            # Writes a layout of one image whose layer is $Layer (bytes) under the digest and size given, and
            # returns the layer's blob path; the descriptor says what the caller wants it to say.
            function New-HandLayout([string] $Path, [byte[]] $Layer, [string] $Digest, [long] $Size) {
                $blobs = Join-Path $Path 'blobs/sha256'
                $null = New-Item -ItemType Directory -Force $blobs
                Set-Content (Join-Path $Path 'oci-layout') '{"imageLayoutVersion":"1.0.0"}' -NoNewline
                $write = {
                    param([byte[]] $bytes)
                    $hex = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes)).ToLowerInvariant()
                    [IO.File]::WriteAllBytes((Join-Path $blobs $hex), $bytes)
                    "sha256:$hex"
                }
                $config = [Text.Encoding]::UTF8.GetBytes('{"architecture":"amd64","os":"linux"}')
                $configDigest = & $write $config
                $layerPath = Join-Path $blobs $Digest.Substring(7)
                [IO.File]::WriteAllBytes($layerPath, $Layer)
                $manifest = [Text.Encoding]::UTF8.GetBytes((@{
                    schemaVersion = 2; mediaType = 'application/vnd.oci.image.manifest.v1+json'
                    config = @{ mediaType = 'application/vnd.oci.image.config.v1+json'; digest = $configDigest; size = $config.Length }
                    layers = @(@{ mediaType = 'application/vnd.oci.image.layer.v1.tar'; digest = $Digest; size = $Size })
                } | ConvertTo-Json -Depth 5 -Compress))
                $manifestDigest = & $write $manifest
                @{ schemaVersion = 2; manifests = @(@{ mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = $manifestDigest; size = $manifest.Length; annotations = @{ 'org.opencontainers.image.ref.name' = 'v1' } }) } |
                    ConvertTo-Json -Depth 5 | Set-Content (Join-Path $Path 'index.json')
                $layerPath
            }
        }

        It 'refuses a layout whose layer is a symbolic link to a file outside it' -Skip:$IsWindows {
            $secretPath = Join-Path $TestDrive 'outside/shadow'
            $null = New-Item -ItemType Directory -Force (Split-Path $secretPath)
            $secret = [Text.Encoding]::UTF8.GetBytes('root:$6$not-for-you:19000:0:99999:7:::' + ('x' * 400))
            [IO.File]::WriteAllBytes($secretPath, $secret)
            # As the attack was found: the descriptor gives the link's own size and the digest of that much secret.
            $prefix = [byte[]] $secret[0..([Text.Encoding]::UTF8.GetByteCount($secretPath) - 1)]
            $digest = 'sha256:' + [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($prefix)).ToLowerInvariant()
            $layout = Join-Path $TestDrive 'linked-layout'
            $layerPath = New-HandLayout $layout $prefix $digest $prefix.Length
            Remove-Item $layerPath
            $null = New-Item -ItemType SymbolicLink -Path $layerPath -Target $secretPath

            $thrown = { Start-OciTestRegistry -Path $layout -ErrorAction Stop } |
                Should -Throw -ErrorId 'LayoutUnreadable,OciRegistry.Commands.StartOciTestRegistryCommand' -PassThru
            $thrown.Exception.Message | Should -BeLike "*the blob $digest is a symbolic link*"
        }

        It 'answers 404 BLOB_UNKNOWN for a layer whose file does not match its digest, and never serves it' {
            $layer = [Text.Encoding]::UTF8.GetBytes('the layer as published')
            $digest = 'sha256:' + [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($layer)).ToLowerInvariant()
            $layout = Join-Path $TestDrive 'forged-layout'
            $layerPath = New-HandLayout $layout $layer $digest $layer.Length
            [IO.File]::WriteAllBytes($layerPath, [Text.Encoding]::UTF8.GetBytes('FORGED'.PadRight($layer.Length, '!')))

            $served = Start-OciTestRegistry -Path $layout -Repository team/forged
            try {
                $response = Invoke-WebRequest "$($served.Url)v2/team/forged/blobs/$digest" -SkipHttpErrorCheck
                $response.StatusCode | Should -Be 404
                $body = if ($response.Content -is [byte[]]) { [Text.Encoding]::UTF8.GetString($response.Content) } else { $response.Content }
                $body | Should -Not -BeLike '*FORGED*'
                $body | Should -BeLike '*BLOB_UNKNOWN*'
                { Save-OciBlob "$($served.Host)/team/forged@$digest" -Destination (Join-Path $TestDrive 'forged-out') -ErrorAction Stop } |
                    Should -Throw -ErrorId 'BlobNotFound,OciRegistry.Commands.SaveOciBlobCommand'
                # Nothing at a final path (a download keeps its partial file to resume from).
                Get-ChildItem (Join-Path $TestDrive 'forged-out') -ErrorAction Ignore | Where-Object Name -NotLike '*.partial*' | Should -BeNullOrEmpty
            }
            finally { $served | Stop-OciTestRegistry }
        }
    }

    It 'frees the CDN port on stop too' {
        $registry = Start-OciTestRegistry
        $cdnPort = $registry.CdnUrl.Port
        $cdnPort | Should -Not -Be $registry.Port
        $registry | Stop-OciTestRegistry
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $cdnPort)
        { $probe.Start() } | Should -Not -Throw
        $probe.Stop()
    }

    It 'does not keep pwsh from exiting while a registry runs' {
        # The host may be 'dotnet pwsh.dll' (a tool install) or pwsh itself.
        $start = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
        if ([IO.Path]::GetFileNameWithoutExtension($start.FileName) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        $script = "Import-Module '$env:OCIREGISTRY_MODULE'; `$r = Start-OciTestRegistry -SampleContent -Unreliable; `$null = Get-OciManifest `"`$(`$r.Host)/samples/hello:1.0`"; 'done'"
        foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $script) { $start.ArgumentList.Add($argument) }
        $start.RedirectStandardOutput = $true
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $child = [Diagnostics.Process]::Start($start)
        $output = $child.StandardOutput.ReadToEndAsync()
        $exited = $child.WaitForExit(60000)
        if (-not $exited) { $child.Kill() }
        $exited | Should -BeTrue -Because 'a running test registry must not keep the process alive'
        $output.Result -split '\r?\n' | Should -Contain 'done'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 30
    }

    Context 'authentication' {
        BeforeAll {
            $script:cred = [pscredential]::new('tester', (ConvertTo-SecureString 'p@ss word' -AsPlainText -Force))
            $script:wrong = [pscredential]::new('tester', (ConvertTo-SecureString 'nope' -AsPlainText -Force))
            $script:manifestId = 'RegistryAuthenticationFailed,OciRegistry.Commands.GetOciManifestCommand'
            $script:tagId = 'RegistryAuthenticationFailed,OciRegistry.Commands.GetOciTagCommand'
        }

        It 'uses Basic with -Credential: pulls with it, refuses without it or with a wrong one' {
            $registry = Start-OciTestRegistry -SampleContent -Credential $cred
            try {
                $registry.Authentication | Should -Be 'Basic'
                $repo = "$($registry.Host)/samples/hello"
                (Get-OciManifest "${repo}:1.0" -Credential $cred).Platforms | Should -Contain 'linux/amd64'
                (Get-OciTag $repo -Credential $cred).Tag | Should -Contain 'latest'
                { Get-OciManifest "${repo}:1.0" -ErrorAction Stop } | Should -Throw -ErrorId $manifestId
                { Get-OciTag $repo -Credential $wrong -ErrorAction Stop } | Should -Throw -ErrorId $tagId
                $log = Get-OciTestRegistryRequest $registry
                ($log | Where-Object StatusCode -EQ 200).AuthorizationScheme | Select-Object -Unique | Should -Be 'Basic'
                ($log | Where-Object StatusCode -EQ 401).Count | Should -BeGreaterOrEqual 2
            }
            finally { $registry | Stop-OciTestRegistry }
        }

        It 'uses Bearer tokens from its /token endpoint for -Credential, and refuses anonymous pulls' {
            $registry = Start-OciTestRegistry -SampleContent -Authentication Bearer -Credential $cred
            try {
                $registry.TokenUrl | Should -Be "$($registry.Url)token"
                $repo = "$($registry.Host)/samples/hello"
                (Get-OciManifest "${repo}:1.0" -Credential $cred).Tag | Should -Be '1.0'
                (Get-OciTag $repo -Credential $cred).Count | Should -BeGreaterThan 2
                { Get-OciManifest "${repo}:1.0" -ErrorAction Stop } | Should -Throw -ErrorId $manifestId
                { Get-OciTag $repo -Credential $wrong -ErrorAction Stop } | Should -Throw -ErrorId $tagId
                $tokens = Get-OciTestRegistryRequest $registry -Path '/token'
                ($tokens | Where-Object StatusCode -EQ 200).AuthorizationScheme | Select-Object -Unique | Should -Be 'Basic'
                ($tokens | Where-Object StatusCode -EQ 401).Count | Should -Be 2
                (Get-OciTestRegistryRequest $registry -Path '/v2/samples/*' | Where-Object StatusCode -EQ 200).AuthorizationScheme | Select-Object -Unique | Should -Be 'Bearer'
            }
            finally { $registry | Stop-OciTestRegistry }
        }

        It 'tells a missing password from a refused one (<mode>)' -ForEach @(
            @{ mode = 'Basic' }, @{ mode = 'Bearer' }
        ) {
            $registry = Start-OciTestRegistry -SampleContent -Authentication $mode -Credential $cred
            try {
                $ref = "$($registry.Host)/samples/hello:1.0"
                $missing = Get-OciManifest $ref -ErrorAction SilentlyContinue -ErrorVariable e1; $e1 = $e1[0]
                $refused = Get-OciManifest $ref -Credential $wrong -ErrorAction SilentlyContinue -ErrorVariable e2; $e2 = $e2[0]
                $missing, $refused | Should -BeNullOrEmpty
                $e1.FullyQualifiedErrorId, $e2.FullyQualifiedErrorId | Should -Be $manifestId, $manifestId
                $e1.Exception.Message | Should -Match 'no credentials were sent|wants credentials'
                $e1.Exception.Message | Should -Not -Match 'refused the credentials'
                $e2.Exception.Message | Should -Match "refused the credentials"
                $e2.Exception.Message | Should -Match "'tester'"
                $e1.ErrorDetails.RecommendedAction | Should -Match '-Credential'
                $e2.ErrorDetails.RecommendedAction | Should -Match 'password'
                $e2.ErrorDetails.RecommendedAction | Should -Not -Be $e1.ErrorDetails.RecommendedAction
                "$e2" + $e2.ErrorDetails.RecommendedAction | Should -Not -Match 'nope'
            }
            finally { $registry | Stop-OciTestRegistry }
        }

        It 'hands out anonymous tokens with -Authentication Bearer alone' {
            $registry = Start-OciTestRegistry -SampleContent -Authentication Bearer
            try {
                (Get-OciTag "$($registry.Host)/samples/hello").Tag | Should -Contain '1.0'
                (Get-OciTestRegistryRequest $registry -Path '/token').HasAuthorization | Should -Not -Contain $true
            }
            finally { $registry | Stop-OciTestRegistry }
        }

        It 'expires tokens after -TokenLifetime, so a long pipeline fetches a fresh one' {
            $registry = Start-OciTestRegistry -SampleContent -Authentication Bearer -Credential $cred -TokenLifetime 1
            try {
                $repo = "$($registry.Host)/samples/hello"
                $manifests = '1.0', 'latest' | ForEach-Object { Start-Sleep -Milliseconds 1100; "${repo}:$_" } | Get-OciManifest -Credential $cred
                $manifests.Count | Should -Be 2
                @(Get-OciTestRegistryRequest $registry -Path '/token' | Where-Object StatusCode -EQ 200).Count | Should -Be 2
            }
            finally { $registry | Stop-OciTestRegistry }
        }

        It 'refuses Basic without -Credential, and token lifetimes under a second' {
            { Start-OciTestRegistry -Authentication Basic -ErrorAction Stop } |
                Should -Throw -ErrorId 'CredentialRequired,OciRegistry.Commands.StartOciTestRegistryCommand'
            { Start-OciTestRegistry -Authentication Bearer -TokenLifetime 0.5 -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidTokenLifetime,OciRegistry.Commands.StartOciTestRegistryCommand'
        }
    }

    Context 'upload limits' {
        BeforeAll {
            function script:Start-Upload($registry) {
                Invoke-WebRequest -Method Post "$($registry.Url)v2/limits/test/blobs/uploads/" -SkipHttpErrorCheck
            }
        }

        It 'answers 413 to an upload larger than -MaximumUploadSize, and takes one of that size' {
            $registry = Start-OciTestRegistry -MaximumUploadSize 1KB
            try {
                $fits = [byte[]]::new(1KB)
                $tooLarge = [byte[]]::new(1KB + 1)
                $digest = 'sha256:' + (Get-FileHash -InputStream ([IO.MemoryStream]::new($fits)) -Algorithm SHA256).Hash.ToLowerInvariant()
                $large = 'sha256:' + (Get-FileHash -InputStream ([IO.MemoryStream]::new($tooLarge)) -Algorithm SHA256).Hash.ToLowerInvariant()
                $refused = Invoke-WebRequest -Method Post "$($registry.Url)v2/limits/test/blobs/uploads/?digest=$large" -Body $tooLarge -ContentType 'application/octet-stream' -SkipHttpErrorCheck
                $refused.StatusCode | Should -Be 413
                ($refused.Content | ConvertFrom-Json).errors[0].code | Should -Be 'SIZE_INVALID'
                $taken = Invoke-WebRequest -Method Post "$($registry.Url)v2/limits/test/blobs/uploads/?digest=$digest" -Body $fits -ContentType 'application/octet-stream' -SkipHttpErrorCheck
                $taken.StatusCode | Should -Be 201
            }
            finally { $registry | Stop-OciTestRegistry }
        }

        It 'answers 429 beyond -MaximumUploads open uploads' {
            $registry = Start-OciTestRegistry -MaximumUploads 2
            try {
                (Start-Upload $registry).StatusCode | Should -Be 202
                (Start-Upload $registry).StatusCode | Should -Be 202
                $refused = Start-Upload $registry
                $refused.StatusCode | Should -Be 429
                ($refused.Content | ConvertFrom-Json).errors[0].code | Should -Be 'TOOMANYREQUESTS'
            }
            finally { $registry | Stop-OciTestRegistry }
        }

        It 'drops an upload idle for longer than -UploadIdleTimeout' {
            $registry = Start-OciTestRegistry -UploadIdleTimeout 1
            try {
                $location = (Start-Upload $registry).Headers['Location'] | Select-Object -First 1
                $url = [Uri]::new($registry.Url, $location)
                (Invoke-WebRequest $url -SkipHttpErrorCheck).StatusCode | Should -Be 204
                Start-Sleep -Seconds 2
                $gone = Invoke-WebRequest $url -SkipHttpErrorCheck
                $gone.StatusCode | Should -Be 404
                ($gone.Content | ConvertFrom-Json).errors[0].code | Should -Be 'BLOB_UPLOAD_UNKNOWN'
            }
            finally { $registry | Stop-OciTestRegistry }
        }

        It 'refuses limits out of range' {
            { Start-OciTestRegistry -UploadIdleTimeout 0.5 -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidUploadIdleTimeout,OciRegistry.Commands.StartOciTestRegistryCommand'
            { Start-OciTestRegistry -MaximumUploadSize 0 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,OciRegistry.Commands.StartOciTestRegistryCommand'
            { Start-OciTestRegistry -MaximumUploads 0 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,OciRegistry.Commands.StartOciTestRegistryCommand'
        }
    }

    Context 'connection limits' {
        It 'answers 414 to a request line over -MaximumRequestLineLength and 431 to a head over -MaximumRequestHeadersLength' {
            $registry = Start-OciTestRegistry -SampleContent -MaximumRequestLineLength 256 -MaximumRequestHeadersLength 2KB
            try {
                (Invoke-WebRequest "$($registry.Url)v2/?$('a' * 300)" -SkipHttpErrorCheck).StatusCode | Should -Be 414
                (Invoke-WebRequest "$($registry.Url)v2/" -Headers @{ 'X-Padding' = 'b' * 3KB } -SkipHttpErrorCheck).StatusCode | Should -Be 431
                (Invoke-WebRequest "$($registry.Url)v2/?$('a' * 100)" -SkipHttpErrorCheck).StatusCode | Should -Be 200
            }
            finally { $registry | Stop-OciTestRegistry }
        }

        It 'drops a connection that sends no headers within -RequestHeadersTimeout' {
            $registry = Start-OciTestRegistry -RequestHeadersTimeout 1
            $tcp = [Net.Sockets.TcpClient]::new()
            try {
                $tcp.Connect('127.0.0.1', $registry.Port)
                $stream = $tcp.GetStream()
                $start = [Text.Encoding]::ASCII.GetBytes("GET /v2/ HTTP/1.1`r`n")
                $stream.Write($start, 0, $start.Length)
                $stream.ReadTimeout = 10000
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $stream.Read([byte[]]::new(16), 0, 16) | Should -Be 0
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 8
            }
            finally { $tcp.Dispose(); $registry | Stop-OciTestRegistry }
        }

        It 'refuses connection limits out of range' {
            { Start-OciTestRegistry -IdleConnectionTimeout 0.5 -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidConnectionTimeout,OciRegistry.Commands.StartOciTestRegistryCommand'
            { Start-OciTestRegistry -MaximumRequestLineLength 4KB -MaximumRequestHeadersLength 1KB -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidRequestLimits,OciRegistry.Commands.StartOciTestRegistryCommand'
            { Start-OciTestRegistry -MaximumConnections 0 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,OciRegistry.Commands.StartOciTestRegistryCommand'
        }
    }

    Context 'faults at start' {
        It 'switches the seed''s unreliable wrapper on with -Unreliable, and a verified pull still succeeds' {
            $registry = Start-OciTestRegistry -SampleContent -Unreliable
            try {
                $registry.Authentication | Should -Be 'Bearer'
                $registry.Faults.Kind | Should -Be @('Fail', 'Redirect', 'CutBody')
                $repo = "$($registry.Host)/samples/hello"
                $manifest = Get-OciManifest "${repo}:1.0" -Platform linux/amd64
                $file = $manifest.Layers | Save-OciBlob -Destination $TestDrive
                Get-Sha256Digest ([IO.File]::ReadAllBytes($file.FullName)) | Should -Be $manifest.Layers[0].Digest
                (Get-OciTag $repo).Tag | Should -Contain 'readme'

                $log = Get-OciTestRegistryRequest $registry
                # Every path failed exactly once with 503.
                $log | Where-Object StatusCode -EQ 503 | Group-Object Path | Where-Object Count -NE 1 | Should -BeNullOrEmpty
                ($log | Where-Object StatusCode -EQ 503 | Group-Object Path).Count | Should -Be ($log | Group-Object Path).Count
                # Content came from the CDN origin, which never saw an Authorization header.
                $cdn = $log | Where-Object Origin -EQ 'Cdn'
                $cdn | Should -Not -BeNullOrEmpty
                $cdn.HasAuthorization | Should -Not -Contain $true
                # The blob was cut halfway and resumed from there.
                $size = $manifest.Layers[0].Size
                $blob = $cdn | Where-Object Path -Like '*/blobs/*'
                $blob[0].Aborted | Should -BeTrue
                $blob[0].BytesSent | Should -Be ([math]::Floor($size / 2))
                $blob[1].Range | Should -Be "bytes=$([math]::Floor($size / 2))-"
            }
            finally { $registry | Stop-OciTestRegistry }
        }

        It 'injects -Fault objects from the first request on' {
            $registry = Start-OciTestRegistry -SampleContent -Fault (New-OciTestRegistryFault Fail -StatusCode 403 -Path '*/manifests/*' -Count 1)
            try {
                { Get-OciManifest "$($registry.Host)/samples/hello:1.0" -ErrorAction Stop } |
                    Should -Throw -ErrorId 'RegistryAccessDenied,OciRegistry.Commands.GetOciManifestCommand'
                (Get-OciManifest "$($registry.Host)/samples/hello:1.0").Tag | Should -Be '1.0'
            }
            finally { $registry | Stop-OciTestRegistry }
        }
    }
}
