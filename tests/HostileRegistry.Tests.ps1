# A broken or hostile registry, played by the test registry's faults (and, for what it cannot say, a scripted
# server): bodies cut short are retried, a registry's own words never carry a secret into any stream, nothing is
# left on disk by a request that failed before its first byte, and errors say what actually happened.
Describe 'Against a broken or hostile registry' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot 'FakeHttpServer.psm1') -Force
        Import-OciRegistryUnderTest
        $ProgressPreference = 'SilentlyContinue'

        # Everything a caller could see of one call: all six streams as formatted at a prompt, then the error
        # records in $Error with every property, their exceptions (inner ones too) and ErrorDetails.
        function Get-EverythingShown {
            param([Parameter(Mandatory)] [scriptblock] $Call)
            # The errors are what is looked at, so they must not stop the call (the test run may prefer Stop).
            $ErrorActionPreference = 'Continue'
            $Error.Clear()
            $streams = try { & $Call *>&1 | Out-String -Width 4096 } catch { "$_" }
            $records = foreach ($record in $Error) {
                if ($record -isnot [System.Management.Automation.ErrorRecord]) { "$record"; continue }
                $record | Format-List * -Force | Out-String -Width 4096
                "$($record.ErrorDetails)"
                $record.ErrorDetails | Format-List * -Force | Out-String -Width 4096
                for ($e = $record.Exception; $null -ne $e; $e = $e.InnerException) {
                    $e.ToString()
                    $e | Format-List * -Force | Out-String -Width 4096
                }
            }
            return ($streams + "`n" + ($records -join "`n"))
        }
    }

    Context 'a body cut short is retried, whatever it is' {
        BeforeEach {
            $script:registry = Start-OciTestRegistry -SampleContent -Authentication Bearer
            $script:hello = "$($registry.Host)/samples/hello"
        }

        AfterEach { $registry | Stop-OciTestRegistry }

        It 'a manifest' {
            New-OciTestRegistryFault CutBody -Path '*/manifests/*' -Method GET -Count 1 | Add-OciTestRegistryFault $registry
            $manifest = Get-OciManifest "${hello}:docker" -ErrorAction Stop
            $manifest.Digest | Should -Match '^sha256:'
            $gets = @(Get-OciTestRegistryRequest $registry -Path '*/manifests/*' -Method GET | Where-Object StatusCode -EQ 200)
            $gets.Count | Should -Be 2
            $gets[0].Faults | Should -Be @('CutBody')
            $gets[0].Aborted | Should -BeTrue
        }

        It 'an image config' {
            $manifest = Get-OciManifest "${hello}:docker"
            New-OciTestRegistryFault CutBody -Path "*/blobs/$($manifest.Config.Digest)" -Count 1 | Add-OciTestRegistryFault $registry
            $config = $manifest | Get-OciBlob -Config -ErrorAction Stop
            $config | Should -Match '"architecture"'
            $gets = @(Get-OciTestRegistryRequest $registry -Path "*/blobs/$($manifest.Config.Digest)" -Method GET | Where-Object StatusCode -In 200, 206)
            $gets.Count | Should -Be 2
            $gets[0].Faults | Should -Be @('CutBody')
        }

        It 'a token response' {
            New-OciTestRegistryFault CutBody -Path '/token' -Count 1 | Add-OciTestRegistryFault $registry
            $null = Get-OciManifest "${hello}:docker" -ErrorAction Stop
            $tokens = @(Get-OciTestRegistryRequest $registry -Path '/token')
            $tokens.Count | Should -Be 2
            $tokens[0].Faults | Should -Be @('CutBody')
            $tokens[1].Faults | Should -BeNullOrEmpty
        }

        It 'a tag page' {
            New-OciTestRegistryFault CutBody -Path '*/tags/list' -Count 1 | Add-OciTestRegistryFault $registry
            $tags = Get-OciTag $hello -ErrorAction Stop
            $tags.Tag | Should -Contain 'docker'
            $pages = @(Get-OciTestRegistryRequest $registry -Path '*/tags/list' | Where-Object StatusCode -EQ 200)
            $pages.Count | Should -Be 2
            $pages[0].Faults | Should -Be @('CutBody')
        }
    }

    Context 'a registry''s own words carry no secret into any stream' {
        BeforeAll {
            $script:secrets = @('s3cr3tT0k3n', 'deadbeefsig', 'AKIAHIDDEN', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlMTIz', 'p4ssw0rdInUrl')
            $script:bodies = @(
                @{
                    Form        = 'a JSON error list'
                    ContentType = 'application/json'
                    Body        = '{"errors":[{"code":"DENIED","message":"access denied: token=s3cr3tT0k3n has expired","detail":{"url":"https:\/\/s3.example\/b?X-Amz-Signature=deadbeefsig&X-Amz-Credential=AKIAHIDDEN"}}]}'
                    Excerpt     = 'DENIED: access denied: token=REDACTED has expired'
                }
                @{
                    Form        = 'plain text'
                    ContentType = 'text/plain'
                    Body        = "Denied for Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlMTIz today.`nRetry at https://user:p4ssw0rdInUrl@cdn.example/x?sig=deadbeefsig&access_token=s3cr3tT0k3n"
                    Excerpt     = 'Denied for Bearer REDACTED today.'
                }
                @{
                    Form        = 'a storage bucket''s XML'
                    ContentType = 'application/xml'
                    Body        = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired.</Message><RequestURL>https://bucket.example/blob?X-Amz-Credential=AKIAHIDDEN&amp;X-Amz-Signature=deadbeefsig</RequestURL><StringToSign>GET%0Atoken=s3cr3tT0k3n</StringToSign></Error>'
                    Excerpt     = 'AccessDenied Request has expired.'
                }
            )
        }

        BeforeEach {
            $script:registry = Start-OciTestRegistry -SampleContent
            $script:hello = "$($registry.Host)/samples/hello"
        }

        AfterEach { $registry | Stop-OciTestRegistry }

        It 'Get-OciManifest, answered with <Form>' -ForEach @(
            @{ Index = 0; Form = 'a JSON error list' }, @{ Index = 1; Form = 'plain text' }, @{ Index = 2; Form = 'a storage bucket''s XML' }
        ) {
            $case = $bodies[$Index]
            New-OciTestRegistryFault Fail -StatusCode 403 -Path '*/manifests/*' -Body $case.Body -ContentType $case.ContentType |
                Add-OciTestRegistryFault $registry
            $shown = Get-EverythingShown { Get-OciManifest "${hello}:docker" -Verbose -Debug }

            $Error[0].FullyQualifiedErrorId | Should -BeLike 'RegistryAccessDenied,*'
            $Error[0].Exception.Message | Should -BeLike "*$($case.Excerpt)*"
            # The whole body is in -Debug, redacted: the test would see a secret if one got through.
            $shown | Should -Match 'error body of GET .* -> 403: '
            $shown | Should -Match 'REDACTED'
            foreach ($secret in $secrets) { $shown | Should -Not -Match ([regex]::Escape($secret)) }
        }

        It 'Save-OciBlob, answered with <Form>, leaves no file' -ForEach @(
            @{ Index = 0; Form = 'a JSON error list' }, @{ Index = 1; Form = 'plain text' }, @{ Index = 2; Form = 'a storage bucket''s XML' }
        ) {
            $case = $bodies[$Index]
            $manifest = Get-OciManifest "${hello}:docker"
            New-OciTestRegistryFault Fail -StatusCode 403 -Path '*/blobs/*' -Body $case.Body -ContentType $case.ContentType |
                Add-OciTestRegistryFault $registry
            $destination = Join-Path $TestDrive "denied-$Index"
            $shown = Get-EverythingShown { $manifest | Save-OciBlob -Destination $destination -Verbose -Debug }

            @($Error | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -BeGreaterThan 0
            $shown | Should -Match 'error body of GET .* -> 403: '
            foreach ($secret in $secrets) { $shown | Should -Not -Match ([regex]::Escape($secret)) }
            @(Get-ChildItem -LiteralPath $destination -Force -Recurse -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
        }
    }

    Context 'errors that say what happened' {
        BeforeEach {
            $script:registry = Start-OciTestRegistry -SampleContent
            $script:hello = "$($registry.Host)/samples/hello"
        }

        AfterEach { $registry | Stop-OciTestRegistry }

        It 'a 403 on the first blob request leaves the destination empty, and says no credentials were sent' {
            $manifest = Get-OciManifest "${hello}:docker"
            New-OciTestRegistryFault Fail -StatusCode 403 -Path '*/blobs/*' | Add-OciTestRegistryFault $registry
            $destination = Join-Path $TestDrive 'forbidden'
            $null = New-Item -ItemType Directory -Path $destination
            $manifest | Save-OciBlob -Destination $destination -ErrorAction SilentlyContinue -ErrorVariable failed
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'RegistryAccessDenied,*'
            $failed[0].Exception.Message | Should -Match 'No credentials were sent'
            @(Get-ChildItem -LiteralPath $destination -Force -Recurse) | Should -BeNullOrEmpty
        }

        It 'a blob one byte shorter than its descriptor fails at the first attempt, naming both sizes' {
            $layer = (Get-OciManifest "${hello}:docker").Layers[0]
            $destination = Join-Path $TestDrive 'wrong-size'
            $null = New-Item -ItemType Directory -Path $destination
            Save-OciBlob -Reference $hello -Digest $layer.Digest -Size ($layer.Size + 1) -Destination $destination -ErrorAction SilentlyContinue -ErrorVariable failed
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'BlobDigestMismatch,*'
            $failed[0].Exception.Message | Should -Match "\b$($layer.Size + 1)\b"
            $failed[0].Exception.Message | Should -Match "\b$($layer.Size)\b"
            @(Get-OciTestRegistryRequest $registry -Path "*/blobs/$($layer.Digest)" -Method GET).Count | Should -Be 1
            @(Get-ChildItem -LiteralPath $destination -Force -Recurse) | Should -BeNullOrEmpty
        }

        It 'a response header block over 16 KiB fails without a retry' {
            New-OciTestRegistryFault Fail -Path '*/manifests/*' -Count 1 -Header @{ 'X-Padding' = 'p' * 17KB } | Add-OciTestRegistryFault $registry
            $started = [System.Diagnostics.Stopwatch]::StartNew()
            Get-OciManifest "${hello}:docker" -ErrorAction SilentlyContinue -ErrorVariable failed
            $started.Stop()
            $failed | Should -Not -BeNullOrEmpty -Because 'the one failing answer must not be retried into the good one behind it'
            $failed[0].Exception.Message | Should -Match 'header'
            @(Get-OciTestRegistryRequest $registry -Path '*/manifests/*').Count | Should -Be 1
            $started.Elapsed.TotalSeconds | Should -BeLessThan 5
        }

        It 'a malformed challenge <Challenge> is RegistryChallengeInvalid' -ForEach @(
            @{ Challenge = 'Bearer realm=' }
            @{ Challenge = 'Bearer realm="unterminated' }
            @{ Challenge = 'Bearer service="no realm"' }
            @{ Challenge = '%%% not a challenge token=s3cr3tVALUE' }
        ) {
            New-OciTestRegistryFault Fail -StatusCode 401 -Header @{ 'WWW-Authenticate' = $Challenge } | Add-OciTestRegistryFault $registry
            $shown = Get-EverythingShown { Get-OciManifest "${hello}:docker" -Verbose -Debug }
            $Error[0].FullyQualifiedErrorId | Should -BeLike 'RegistryChallengeInvalid,*'
            $Error[0].Exception.Message | Should -Not -Match 'check the credentials'
            $shown | Should -Not -Match 's3cr3tVALUE'
        }

        It 'a token service that answers 200 with an HTML page is TokenResponseInvalid' {
            $routes = @{}
            $fake = Start-FakeHttpServer -Routes $routes
            try {
                $routes['/v2/app/manifests/1.0'] = @{ Status = 401; Headers = @{ 'WWW-Authenticate' = "Bearer realm=`"http://$($fake.Host)/token`",service=`"fake`"" } }
                $routes['/token'] = @{ Status = 200; ContentType = 'text/html'; Body = '<html><head><title>Sign in</title></head><body>Single sign-on: token=s3cr3tT0k3n</body></html>' }
                $shown = Get-EverythingShown { Get-OciManifest "$($fake.Host)/app:1.0" -Verbose -Debug }
                $Error[0].FullyQualifiedErrorId | Should -BeLike 'TokenResponseInvalid,*'
                $Error[0].Exception.Message | Should -Not -Match 'HTTP 401'
                $shown | Should -Not -Match 's3cr3tT0k3n'
            }
            finally { $fake.Stop() }
        }
    }
}
