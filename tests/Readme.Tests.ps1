Describe 'README' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:readme = Get-Content -Raw (Join-Path $PSScriptRoot '../README.md')
    }

    It 'opens with the two commands: the demo, then the tests' {
        $first = [regex]::Match($readme, '(?s)```powershell\s*\n(.*?)```').Groups[1].Value
        $first | Should -Match 'dotnet tool restore && dotnet pwsh ./build.ps1 -Task Demo'
        $first | Should -Match 'dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test'
    }

    It 'has a Pester example that passes as written' {
        $section = $readme.Substring($readme.IndexOf('### In Pester'))
        $example = [regex]::Match($section, '(?s)```powershell\s*\n(.*?)```').Groups[1].Value
        $example | Should -Match 'Describe'
        $file = Join-Path $TestDrive 'Example.Tests.ps1'
        $example.Replace('Import-Module OciRegistry', "Import-Module '$env:OCIREGISTRY_MODULE'") | Set-Content $file
        $output = Invoke-ChildPwsh @"
Import-Module '$env:OCIREGISTRY_PESTER'
`$result = Invoke-Pester -Path '$file' -PassThru -Output None
"passed=`$(`$result.PassedCount) failed=`$(`$result.FailedCount + `$result.FailedBlocksCount)"
"@
        @($output)[-1] | Should -Be 'passed=1 failed=0'
    }
}
