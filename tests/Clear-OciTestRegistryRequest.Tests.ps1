Describe 'Clear-OciTestRegistryRequest' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    It 'forgets logged requests; later ones are logged again' {
        $null = Get-OciTag "$($registry.Host)/samples/hello"
        Get-OciTestRegistryRequest $registry | Should -Not -BeNullOrEmpty
        $registry | Clear-OciTestRegistryRequest
        Get-OciTestRegistryRequest $registry | Should -BeNullOrEmpty
        $null = Invoke-WebRequest "$($registry.Url)v2/"
        (Get-OciTestRegistryRequest $registry).Path | Should -Be '/v2/'
    }
}
