Describe 'Clear-OciTestRegistryFault' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
    }

    It 'removes every fault of every piped registry' {
        $a = Start-OciTestRegistry -SampleContent -Unreliable
        $b = Start-OciTestRegistry -SampleContent -Fault (New-OciTestRegistryFault Fail -StatusCode 500)
        try {
            $a, $b | Clear-OciTestRegistryFault
            $a.Faults | Should -BeNullOrEmpty
            $b.Faults | Should -BeNullOrEmpty
            (Invoke-WebRequest "$($b.Url)v2/" -SkipHttpErrorCheck).StatusCode | Should -Be 200
            Get-OciTestRegistryRequest $b | Should -Not -BeNullOrEmpty
            (Get-OciTestRegistryRequest $b).Faults | Should -BeNullOrEmpty
        }
        finally { $a, $b | Stop-OciTestRegistry }
    }

    It 'needs a registry' {
        { Clear-OciTestRegistryFault -Registry $null } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OciRegistry.Commands.ClearOciTestRegistryFaultCommand'
    }
}
