Describe 'Get-OciTestRegistry and Stop-OciTestRegistry -All' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        Stop-OciTestRegistry -All
    }

    AfterAll { Stop-OciTestRegistry -All }

    It 'lists running registries as the objects Start returned, drops stopped ones, and -All stops the rest' {
        $a = Start-OciTestRegistry
        $b = Start-OciTestRegistry
        $listed = @(Get-OciTestRegistry)
        $listed.Count | Should -Be 2
        [object]::ReferenceEquals($listed[0], $a) | Should -BeTrue
        [object]::ReferenceEquals($listed[1], $b) | Should -BeTrue
        $a | Stop-OciTestRegistry
        @(Get-OciTestRegistry).Port | Should -Be @($b.Port)
        Stop-OciTestRegistry -All
        $b.IsRunning | Should -BeFalse
        @(Get-OciTestRegistry).Count | Should -Be 0
    }

    It 'filters by -Port, also from the pipeline by property name' {
        $a = Start-OciTestRegistry
        $b = Start-OciTestRegistry
        @(Get-OciTestRegistry -Port $b.Port).Port | Should -Be @($b.Port)
        @([pscustomobject]@{ Port = $a.Port } | Get-OciTestRegistry).Port | Should -Be @($a.Port)
        Get-OciTestRegistry -Port $a.Port | Stop-OciTestRegistry
        $a.IsRunning | Should -BeFalse
        $b.IsRunning | Should -BeTrue
        Stop-OciTestRegistry -All
    }

    It 'stops nothing with -All -WhatIf' {
        $a = Start-OciTestRegistry
        Stop-OciTestRegistry -All -WhatIf
        $a.IsRunning | Should -BeTrue
        @(Get-OciTestRegistry).Count | Should -Be 1
        Stop-OciTestRegistry -All
    }

    It 'refuses -All together with -Registry' {
        $a = Start-OciTestRegistry
        { Stop-OciTestRegistry -Registry $a -All } | Should -Throw -ErrorId 'AmbiguousParameterSet,OciRegistry.Commands.StopOciTestRegistryCommand'
        $a.IsRunning | Should -BeTrue
        $a.Stop()
    }
}
