Describe 'Timeouts under the user''s control' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:ref = "$($registry.Host)/samples/hello:1.0"
        function script:Get-ManifestRequestCount { @(Get-OciTestRegistryRequest $registry -Path '/v2/samples/hello/manifests/*').Count }
    }

    AfterAll { $registry | Stop-OciTestRegistry }
    BeforeEach {
        Clear-OciTestRegistryFault $registry
        Clear-OciTestRegistryRequest $registry
    }

    It '-ConnectionTimeoutSeconds gives up on a registry that sends no headers, with RegistryTimeout' {
        New-OciTestRegistryFault Delay -Delay 20 -Path '/v2/samples/hello/manifests/*' | Add-OciTestRegistryFault $registry
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Get-OciManifest $ref -ConnectionTimeoutSeconds 1 -MaximumRetryCount 1 -RetryIntervalSec 0 -ErrorAction SilentlyContinue -ErrorVariable failed
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        $failed[0].FullyQualifiedErrorId | Should -Be 'RegistryTimeout,OciRegistry.Commands.GetOciManifestCommand'
        $failed[0].ErrorDetails.Message | Should -Match 'no response arrived for 1 s'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match '-ConnectionTimeoutSeconds'
    }

    It '-TimeoutSec is the same parameter, as on Invoke-WebRequest' {
        New-OciTestRegistryFault Delay -Delay 20 -Path '/v2/samples/hello/manifests/*' | Add-OciTestRegistryFault $registry
        { Get-OciManifest $ref -TimeoutSec 1 -MaximumRetryCount 0 -ErrorAction Stop } | Should -Throw -ErrorId 'RegistryTimeout,OciRegistry.Commands.GetOciManifestCommand'
    }

    It '-OperationTimeoutSeconds retries a manifest body gone silent, and the retry reads it whole' {
        New-OciTestRegistryFault Stall -Offset 10 -Count 1 -Path '/v2/samples/hello/manifests/*' | Add-OciTestRegistryFault $registry
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $manifest = Get-OciManifest $ref -OperationTimeoutSeconds 1 -RetryIntervalSec 0
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        $manifest.Digest | Should -Not -BeNullOrEmpty
        Get-ManifestRequestCount | Should -Be 2
    }

    It '-OperationTimeoutSeconds fails with RegistryTimeout naming the silence once the retries are spent' {
        New-OciTestRegistryFault Stall -Offset 10 -Path '/v2/samples/hello/manifests/*' | Add-OciTestRegistryFault $registry
        Get-OciManifest $ref -OperationTimeoutSeconds 1 -MaximumRetryCount 0 -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].FullyQualifiedErrorId | Should -Be 'RegistryTimeout,OciRegistry.Commands.GetOciManifestCommand'
        $failed[0].ErrorDetails.Message | Should -Match 'no body bytes arrived for 1 s'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match '-OperationTimeoutSeconds'
    }

    It '0 waits for ever: a delay longer than the default limit of the other timeout still completes' {
        New-OciTestRegistryFault Delay -Delay 2 -Count 1 -Path '/v2/samples/hello/manifests/*' | Add-OciTestRegistryFault $registry
        (Get-OciManifest $ref -ConnectionTimeoutSeconds 0 -MaximumRetryCount 0).Digest | Should -Not -BeNullOrEmpty
    }

    It 'refuses negative timeouts before any request' {
        { Get-OciManifest $ref -ConnectionTimeoutSeconds -1 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OciRegistry.Commands.GetOciManifestCommand'
        { Save-OciBlob $ref -OperationTimeoutSeconds -1 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OciRegistry.Commands.SaveOciBlobCommand'
        Get-ManifestRequestCount | Should -Be 0
    }
}

Describe 'A server that is not a registry' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot 'FakeHttpServer.psm1') -Force
        Import-OciRegistryUnderTest
        $page = "<!DOCTYPE html>`n<html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1><p>See https://intranet.example/login?token=s3cr3t-value for more.</p></body></html>"
        $script:web = Start-FakeHttpServer -Routes @{
            '/v2/' = @{ Status = 200; ContentType = 'text/html'; Body = $page }
            '/v2/team/app/manifests/1.0' = @{ Status = 200; ContentType = 'text/html'; Body = $page }
            '/v2/team/app/tags/list' = @{ Status = 404; ContentType = 'text/html'; Body = $page }
        }
        # A registry whose reverse proxy answers one path with its own HTML page: /v2/ is the registry's.
        $script:proxied = Start-FakeHttpServer -Routes @{
            '/v2/' = @{ Status = 200; Body = '{}'; Headers = @{ 'Docker-Distribution-API-Version' = 'registry/2.0' } }
            '/v2/team/app/manifests/1.0' = @{ Status = 502; ContentType = 'text/html'; Body = '<html><head><title>502 Bad Gateway</title></head><body>upstream failed</body></html>' }
        }
    }

    AfterAll {
        $web.Stop()
        $proxied.Stop()
    }

    It 'says NotARegistry for HTML where a manifest should be, with the page''s first words, redacted' {
        Get-OciManifest "$($web.Host)/team/app:1.0" -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].FullyQualifiedErrorId | Should -Be 'NotARegistry,OciRegistry.Commands.GetOciManifestCommand'
        $failed[0].ErrorDetails.Message | Should -Match 'not with the registry API'
        $failed[0].ErrorDetails.Message | Should -Match 'Welcome to nginx!'
        $failed[0].ErrorDetails.Message | Should -Not -Match 's3cr3t'
        $failed[0].ErrorDetails.Message.Length | Should -BeLessThan 400
        $web.Requests | Should -Contain 'GET /v2/'
    }

    It 'says NotARegistry for an HTML 404 where a tag list should be' {
        Get-OciTag "$($web.Host)/team/app" -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].FullyQualifiedErrorId | Should -Be 'NotARegistry,OciRegistry.Commands.GetOciTagCommand'
        $failed[0].ErrorDetails.Message | Should -Match '404 with text/html'
    }

    It 'reports a registry''s own HTML error page as the registry error it is' {
        Get-OciManifest "$($proxied.Host)/team/app:1.0" -MaximumRetryCount 0 -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].FullyQualifiedErrorId | Should -Be 'RegistryUnavailable,OciRegistry.Commands.GetOciManifestCommand'
        $failed[0].ErrorDetails.Message | Should -Match '502 Bad Gateway'
    }
}

Describe 'Proxies and this machine' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:module = $env:OCIREGISTRY_MODULE
    }

    It 'reaches the test registry directly with HTTP_PROXY and HTTPS_PROXY on a dead proxy, and names the proxy when it is used' {
        # .NET reads the proxy variables once per process, so the check runs in a child pwsh that starts with them.
        $script = @"
            `$ErrorActionPreference = 'Stop'
            Import-Module '$module'
"@ + {
            $registry = Start-OciTestRegistry -SampleContent
            try {
                $result = [ordered]@{}
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $result.Digest = (Get-OciManifest "$($registry.Host)/samples/hello:1.0" -MaximumRetryCount 0).Digest.ToString()
                $result.Localhost = (Get-OciManifest "localhost:$($registry.Port)/samples/hello:1.0" -MaximumRetryCount 0).Digest.ToString()
                $result.Seconds = $watch.Elapsed.TotalSeconds
                Get-OciTag 'registry.example:5000/team/app' -AllowInsecure -MaximumRetryCount 0 -ErrorAction SilentlyContinue -ErrorVariable failed
                $result.Id = $failed[0].FullyQualifiedErrorId
                $result.Message = $failed[0].ErrorDetails.Message
                $result.Action = $failed[0].ErrorDetails.RecommendedAction
                [pscustomobject]$result | ConvertTo-Json -Compress
            }
            finally { $registry | Stop-OciTestRegistry }
        }.ToString()
        $saved = @{}
        foreach ($name in 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
        try {
            [Environment]::SetEnvironmentVariable('HTTP_PROXY', 'http://user:pass@127.0.0.1:9')
            [Environment]::SetEnvironmentVariable('HTTPS_PROXY', 'http://user:pass@127.0.0.1:9')
            [Environment]::SetEnvironmentVariable('NO_PROXY', $null)
            $json = Invoke-ChildPwsh $script
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
        try { $result = $json | Select-Object -Last 1 | ConvertFrom-Json }
        catch { throw "The child pwsh said: $($json -join "`n")" }
        $result.Digest | Should -Match '^sha256:'
        $result.Localhost | Should -Be $result.Digest
        $result.Seconds | Should -BeLessThan 5
        $result.Id | Should -Be 'RegistryConnectionFailed,OciRegistry.Commands.GetOciTagCommand'
        $result.Message | Should -Match 'through the proxy http://127\.0\.0\.1:9/'
        $result.Message | Should -Not -Match 'pass'
        $result.Action | Should -Match 'NO_PROXY'
    }
}
