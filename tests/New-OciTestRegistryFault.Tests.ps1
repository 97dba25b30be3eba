Describe 'New-OciTestRegistryFault' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:id = { param($name) "$name,OciRegistry.Commands.NewOciTestRegistryFaultCommand" }
    }

    It 'describes a fault with its scope and count' {
        $fault = New-OciTestRegistryFault Fail -StatusCode 429 -RetryAfter 2 -Path '*/blobs/*' -Method get -Count 1 -EachPath
        $fault | Should -BeOfType ([OciRegistry.Output.OciTestRegistryFault])
        $fault.Kind | Should -Be 'Fail'
        $fault.StatusCode | Should -Be 429
        $fault.RetryAfter | Should -Be ([timespan]::FromSeconds(2))
        $fault.Path | Should -Be '*/blobs/*'
        $fault.Method | Should -Be 'GET'
        $fault.Count | Should -Be 1
        $fault.EachPath | Should -BeTrue
        $fault.Delay | Should -BeNullOrEmpty
        "$fault" | Should -Be 'Fail 429 (Retry-After 2 s) on GET */blobs/* (first 1 per path)'
    }

    It 'takes seconds or a TimeSpan for -Delay and -RetryAfter' {
        (New-OciTestRegistryFault Delay -Delay 0.25).Delay | Should -Be ([timespan]::FromMilliseconds(250))
        (New-OciTestRegistryFault Delay -Delay ([timespan]::FromMinutes(1))).Delay | Should -Be ([timespan]::FromMinutes(1))
        (New-OciTestRegistryFault Delay -Delay '00:00:03').Delay | Should -Be ([timespan]::FromSeconds(3))
        (New-OciTestRegistryFault Fail -RetryAfter 5).RetryAfter | Should -Be ([timespan]::FromSeconds(5))
    }

    It 'applies defaults: 503 for Fail, halfway for CutBody, every request' {
        $fail = New-OciTestRegistryFault Fail
        $fail.StatusCode | Should -Be 503
        $fail.Count | Should -BeNullOrEmpty
        (New-OciTestRegistryFault CutBody).Description | Should -Be 'CutBody halfway'
        (New-OciTestRegistryFault Trickle).BytesPerSecond | Should -Be 65536
        (New-OciTestRegistryFault Redirect -Origin Registry).Origin | Should -Be 'Registry'
    }

    It 'describes a cut upload and a fault that skips requests' {
        $cut = New-OciTestRegistryFault CutUpload -Method PATCH -Offset 20MB -Skip 1 -Count 1
        $cut.Kind | Should -Be 'CutUpload'
        $cut.Offset | Should -Be 20MB
        $cut.Skip | Should -Be 1
        "$cut" | Should -Be 'CutUpload at byte 20971520 on PATCH (after 1, first 1)'
        (New-OciTestRegistryFault CutUpload).Description | Should -Be 'CutUpload halfway through a chunk'
        ($cut | Out-String -Width 80) | Should -Match 'CutUpload\s+PATCH\s+\*\s+1 after 1\s+cut upload at 20971520'
        { New-OciTestRegistryFault Fail -Skip 1 -Count 1 -EachPath -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidFault')
        { New-OciTestRegistryFault Fail -Skip -1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OciRegistry.Commands.NewOciTestRegistryFaultCommand'
    }

    It 'returns the Unreliable preset as separate faults' {
        (New-OciTestRegistryFault -Preset Unreliable).Kind | Should -Be @('Fail', 'Redirect', 'CutBody')
    }

    It 'refuses a parameter that does not apply to the kind' {
        { New-OciTestRegistryFault Delay -StatusCode 500 -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'FaultParameterNotApplicable')
        { New-OciTestRegistryFault Redirect -Offset 5 -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'FaultParameterNotApplicable')
    }

    It 'refuses an inconsistent fault' {
        { New-OciTestRegistryFault Fail -PathRegex '(' -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidFault')
        { New-OciTestRegistryFault Fail -Path '*' -PathRegex '.*' -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidFault')
        { New-OciTestRegistryFault Fail -EachPath -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidFault')
        { New-OciTestRegistryFault Delay -Delay -1 -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidFault')
    }

    It 'validates ranges and names at binding' {
        { New-OciTestRegistryFault Fail -StatusCode 200 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OciRegistry.Commands.NewOciTestRegistryFaultCommand'
        { New-OciTestRegistryFault Explode } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OciRegistry.Commands.NewOciTestRegistryFaultCommand'
        { New-OciTestRegistryFault Fail -Count 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,OciRegistry.Commands.NewOciTestRegistryFaultCommand'
    }
}
