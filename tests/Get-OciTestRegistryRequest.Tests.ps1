Describe 'Get-OciTestRegistryRequest' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:repo = "$($registry.Host)/samples/hello"
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    BeforeEach { Clear-OciTestRegistryRequest $registry }

    It 'records what the client sent and what it got, oldest first' {
        $index = Get-OciManifest "${repo}:1.0"
        $log = $registry | Get-OciTestRegistryRequest
        $log | Should -HaveCount 1
        $entry = $log[0]
        $entry | Should -BeOfType ([OciRegistry.Output.OciTestRegistryRequest])
        $entry.Origin | Should -Be 'Registry'
        $entry.Method | Should -Be 'GET'
        $entry.Path | Should -Be '/v2/samples/hello/manifests/1.0'
        $entry.Query | Should -BeNullOrEmpty
        $entry.Accept | Should -Match 'application/vnd.oci.image.index.v1\+json'
        $entry.HasAuthorization | Should -BeFalse
        $entry.StatusCode | Should -Be 200
        $entry.BytesSent | Should -Be $index.Size
        $entry.Faults | Should -BeNullOrEmpty
        $entry.Aborted | Should -BeFalse
        $entry.Duration | Should -Not -BeNullOrEmpty
        "$entry" | Should -Be 'GET /v2/samples/hello/manifests/1.0 -> 200'
    }

    It 'records the Range, the query and the Authorization scheme, never its value' {
        $secret = 'very-secret-token'
        $null = Invoke-WebRequest "$($registry.Url)v2/samples/hello/tags/list?n=1" -Headers @{ Authorization = "Bearer $secret"; Range = 'bytes=5-' } -SkipHttpErrorCheck
        $entry = Get-OciTestRegistryRequest $registry
        $entry.Query | Should -Be 'n=1'
        $entry.Range | Should -Be 'bytes=5-'
        $entry.HasAuthorization | Should -BeTrue
        $entry.AuthorizationScheme | Should -Be 'Bearer'
        ($entry | Format-List * | Out-String) | Should -Not -Match $secret
    }

    It 'filters by -Path wildcard, -Method and -Origin' {
        $null = Get-OciManifest "${repo}:1.0" -Platform linux/amd64
        $null = Invoke-WebRequest "$($registry.Url)v2/samples/hello/manifests/1.0" -Method Head
        (Get-OciTestRegistryRequest $registry -Path '*/manifests/1.0').Count | Should -Be 2
        (Get-OciTestRegistryRequest $registry -Path '*/manifests/sha256:*').Count | Should -Be 1
        (Get-OciTestRegistryRequest $registry -Method HEAD).Path | Should -Be '/v2/samples/hello/manifests/1.0'
        Get-OciTestRegistryRequest $registry -Origin Cdn | Should -BeNullOrEmpty
    }

    It 'takes several registries from the pipeline and matches the Requests property' {
        $other = Start-OciTestRegistry
        try {
            $null = Invoke-WebRequest "$($other.Url)v2/"
            $null = Get-OciTag $repo
            $both = $registry, $other | Get-OciTestRegistryRequest
            $both.Path | Should -Be @('/v2/samples/hello/tags/list', '/v2/')
            $other.Requests.Path | Should -Be @('/v2/')
        }
        finally { $other | Stop-OciTestRegistry }
    }
}
