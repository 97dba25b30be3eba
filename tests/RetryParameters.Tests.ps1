Describe 'Retries under the user''s control' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:ref = "$($registry.Host)/samples/hello:1.0"
        New-OciTestRegistryFault Fail -StatusCode 503 -Path '/v2/samples/hello/manifests/*' | Add-OciTestRegistryFault $registry
        function script:Get-ManifestRequestCount { @(Get-OciTestRegistryRequest $registry -Path '/v2/samples/hello/manifests/*').Count }
    }

    AfterAll { $registry | Stop-OciTestRegistry }
    BeforeEach { Clear-OciTestRegistryRequest $registry }

    It '-MaximumRetryCount 0 fails at once, after one request' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        { Get-OciManifest $ref -MaximumRetryCount 0 -ErrorAction Stop } | Should -Throw -ErrorId 'RegistryUnavailable,OciRegistry.Commands.GetOciManifestCommand'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 2
        Get-ManifestRequestCount | Should -Be 1
    }

    It '-MaximumRetryCount 1 -RetryIntervalSec 0 makes exactly two requests' {
        { Get-OciManifest $ref -MaximumRetryCount 1 -RetryIntervalSec 0 -ErrorAction Stop } | Should -Throw -ErrorId 'RegistryUnavailable,OciRegistry.Commands.GetOciManifestCommand'
        Get-ManifestRequestCount | Should -Be 2
    }

    It 'takes its settings from $PSDefaultParameterValues' {
        $PSDefaultParameterValues['Get-OciManifest:MaximumRetryCount'] = 0
        try { { Get-OciManifest $ref -ErrorAction Stop } | Should -Throw }
        finally { $PSDefaultParameterValues.Remove('Get-OciManifest:MaximumRetryCount') }
        Get-ManifestRequestCount | Should -Be 1
    }

    It 'refuses counts and intervals out of range' {
        { Get-OciManifest $ref -MaximumRetryCount -1 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OciRegistry.Commands.GetOciManifestCommand'
        { Get-OciTag "$($registry.Host)/samples/hello" -RetryIntervalSec 601 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OciRegistry.Commands.GetOciTagCommand'
        Get-ManifestRequestCount | Should -Be 0
    }

    It 'gives up on a host name that does not resolve within 3 s, saying so' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Get-OciTag 'no-such-registry.invalid/a/b' -ErrorAction SilentlyContinue -ErrorVariable failed
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 3
        $failed[0].FullyQualifiedErrorId | Should -Be 'RegistryConnectionFailed,OciRegistry.Commands.GetOciTagCommand'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'does not resolve'
    }
}
