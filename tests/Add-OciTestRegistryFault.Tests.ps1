Describe 'Add-OciTestRegistryFault' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:repo = "$($registry.Host)/samples/hello"
        $script:manifest = Get-OciManifest "${repo}:1.0" -Platform linux/amd64
        $script:layer = $manifest.Layers[0]
        $script:blobPath = "/v2/samples/hello/blobs/$($layer.Digest)"
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    BeforeEach {
        $registry | Clear-OciTestRegistryFault
        $registry | Clear-OciTestRegistryRequest
        $script:folder = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory $folder
    }

    It 'fails the first requests with 503, and the client retries through them' {
        New-OciTestRegistryFault Fail -Path '*/manifests/*' -Count 2 | Add-OciTestRegistryFault $registry
        (Get-OciManifest "${repo}:1.0").Tag | Should -Be '1.0'
        $log = Get-OciTestRegistryRequest $registry -Path '*/manifests/*'
        $log.StatusCode | Should -Be @(503, 503, 200)
        $log[0].Faults | Should -Be @('Fail')
        $log[2].Faults | Should -BeNullOrEmpty
    }

    It 'sends Retry-After with a 429, and the client waits that long' {
        Add-OciTestRegistryFault $registry (New-OciTestRegistryFault Fail -StatusCode 429 -RetryAfter 1 -Count 1)
        $null = Get-OciManifest "${repo}:1.0"
        $log = Get-OciTestRegistryRequest $registry
        $log[0].StatusCode | Should -Be 429
        ($log[1].Time - $log[0].Time).TotalSeconds | Should -BeGreaterOrEqual 0.9
    }

    It 'delays the answer' {
        New-OciTestRegistryFault Delay -Delay 0.5 -Count 1 | Add-OciTestRegistryFault $registry
        $elapsed = Measure-Command { $null = Get-OciManifest "${repo}:1.0" }
        $elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.45
        (Get-OciTestRegistryRequest $registry).Faults | Should -Be @('Delay')
    }

    It 'trickles a blob at the given rate' {
        New-OciTestRegistryFault Trickle -BytesPerSecond 4096 -Path '*/blobs/*' | Add-OciTestRegistryFault $registry
        $file = $layer | Save-OciBlob -Destination $folder
        $file.Length | Should -Be $layer.Size
        # The client can have the last byte before the server has finished the request and timed it.
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        do { $entry = Get-OciTestRegistryRequest $registry -Path $blobPath } while ($null -eq $entry.Duration -and [DateTime]::UtcNow -lt $deadline -and -not (Start-Sleep -Milliseconds 20))
        $entry.Faults | Should -Be @('Trickle')
        $entry.Duration.TotalSeconds | Should -BeGreaterOrEqual 0.3
    }

    It 'cuts a blob after -Offset bytes, and the client resumes with a Range from there' {
        New-OciTestRegistryFault CutBody -Path '*/blobs/*' -Offset 1000 -Count 1 | Add-OciTestRegistryFault $registry
        $file = $layer | Save-OciBlob -Destination $folder
        Get-Sha256Digest ([IO.File]::ReadAllBytes($file.FullName)) | Should -Be $layer.Digest
        $log = Get-OciTestRegistryRequest $registry -Path $blobPath
        $log[0].Aborted | Should -BeTrue
        $log[0].BytesSent | Should -Be 1000
        $log[0].Faults | Should -Be @('CutBody')
        $log[1].Range | Should -Be 'bytes=1000-'
        $log[1].StatusCode | Should -Be 206
        $log[1].BytesSent | Should -Be ($layer.Size - 1000)
    }

    It 'ignores Range, and the client skips what it already has' {
        @(
            New-OciTestRegistryFault CutBody -Path '*/blobs/*' -Offset 1000 -Count 1
            New-OciTestRegistryFault IgnoreRange -Count 1
        ) | Add-OciTestRegistryFault $registry
        $file = $layer | Save-OciBlob -Destination $folder
        Get-Sha256Digest ([IO.File]::ReadAllBytes($file.FullName)) | Should -Be $layer.Digest
        $resumed = (Get-OciTestRegistryRequest $registry -Path $blobPath)[1]
        $resumed.Range | Should -Be 'bytes=1000-'
        $resumed.StatusCode | Should -Be 200
        $resumed.Faults | Should -Be @('IgnoreRange')
    }

    It 'corrupts a byte, and the blob fails verification without leaving a file' {
        New-OciTestRegistryFault CorruptByte -Path '*/blobs/*' | Add-OciTestRegistryFault $registry
        { $layer | Save-OciBlob -Destination $folder -ErrorAction Stop } |
            Should -Throw -ErrorId 'BlobDigestMismatch,OciRegistry.Commands.SaveOciBlobCommand'
        Get-ChildItem $folder -Filter 'sha256-*' | Where-Object Extension -NotLike '.partial*' | Should -BeNullOrEmpty
        (Get-OciTestRegistryRequest $registry -Path $blobPath).Faults | Should -Contain 'CorruptByte'
    }

    It 'stalls a blob; stopping the pipeline returns promptly and the next run resumes' {
        # Larger than Save-OciBlob's 1 MiB write buffer, so the bytes before the stall reach the partial file.
        $bytes = [byte[]]::new(3MB)
        [Random]::new(7).NextBytes($bytes)
        $digest = $registry.AddBlob('samples/big', $bytes)
        $path = "/v2/samples/big/blobs/$digest"
        New-OciTestRegistryFault Stall -Path '*/blobs/*' -Offset 1.5MB -Count 1 | Add-OciTestRegistryFault $registry
        $target = Join-Path $folder 'big.bin'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:OCIREGISTRY_MODULE'; Save-OciBlob -Reference '$($registry.Host)/samples/big' -Digest '$digest' -Size $($bytes.Length) -OutFile '$target'")
            $handle = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(15)
            while (-not (Get-OciTestRegistryRequest $registry -Path $path | Where-Object BytesSent -EQ 1.5MB) -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 50
            }
            $stalled = Get-OciTestRegistryRequest $registry -Path $path
            $stalled.Faults | Should -Be @('Stall')
            $stalled.BytesSent | Should -Be 1.5MB
            $stalled.Duration | Should -BeNullOrEmpty -Because 'the stalled response is still open'

            $elapsed = Measure-Command { $ps.Stop() }
            $elapsed.TotalSeconds | Should -BeLessThan 3
            $handle.IsCompleted | Should -BeTrue
        }
        finally { $ps.Dispose() }

        $kept = (Get-Item "$target.partial").Length
        $kept | Should -BeGreaterThan 0
        $file = Save-OciBlob -Reference "$($registry.Host)/samples/big" -Digest $digest -Size $bytes.Length -OutFile $target
        Get-Sha256Digest ([IO.File]::ReadAllBytes($file.FullName)) | Should -Be $digest
        (Get-OciTestRegistryRequest $registry -Path $path)[-1].Range | Should -Be "bytes=$kept-"
    }

    It 'redirects to the CDN origin, which never sees the Authorization header, and the signature stays out of verbose output' {
        $cred = [pscredential]::new('tester', (ConvertTo-SecureString 'pw' -AsPlainText -Force))
        $basic = Start-OciTestRegistry -SampleContent -Credential $cred
        try {
            New-OciTestRegistryFault Redirect | Add-OciTestRegistryFault $basic
            $lines = Get-OciManifest "$($basic.Host)/samples/hello:1.0" -Credential $cred -Verbose 4>&1
            ($lines | Where-Object { $_ -is [OciRegistry.Output.OciIndex] }).Tag | Should -Be '1.0'

            $log = Get-OciTestRegistryRequest $basic
            $redirected = $log | Where-Object StatusCode -EQ 307
            $redirected.AuthorizationScheme | Should -Be 'Basic'
            $cdn = Get-OciTestRegistryRequest $basic -Origin Cdn
            $cdn.StatusCode | Should -Be 200
            $cdn.HasAuthorization | Should -BeFalse
            $cdn.Query | Should -Match '(^|&)sig=[0-9a-f]{64}$'
            $signature = ($cdn.Query -split 'sig=')[1]
            ($lines | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Not -Match $signature
        }
        finally { $basic | Stop-OciTestRegistry }
    }

    It 'changes faults while the registry runs' {
        New-OciTestRegistryFault Fail -StatusCode 403 | Add-OciTestRegistryFault $registry
        $registry.Faults.Count | Should -Be 1
        { Get-OciManifest "${repo}:1.0" -ErrorAction Stop } | Should -Throw -ErrorId 'RegistryAccessDenied,OciRegistry.Commands.GetOciManifestCommand'
        $registry | Clear-OciTestRegistryFault
        (Get-OciManifest "${repo}:1.0").Tag | Should -Be '1.0'
    }
}
