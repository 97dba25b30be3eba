Describe 'The packaged module' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:package = $env:OCIREGISTRY_PACKAGE
    }

    It 'installs from a local folder repository with PSResourceGet and imports from there' -Skip:(-not $env:OCIREGISTRY_PACKAGE) {
        $feed = Join-Path $TestDrive 'feed'
        $modules = Join-Path $TestDrive 'modules'
        $null = New-Item -ItemType Directory $feed, $modules
        Copy-Item $package $feed
        $repository = "OciRegistryTest$PID"
        Register-PSResourceRepository -Name $repository -Uri $feed -Trusted
        try {
            Save-PSResource -Name OciRegistry -Repository $repository -Path $modules -TrustRepository
        }
        finally { Unregister-PSResourceRepository -Name $repository }
        $installed = Get-ChildItem -Recurse (Join-Path $modules 'OciRegistry') -Filter 'OciRegistry.psd1' | Select-Object -First 1
        $installed | Should -Not -BeNullOrEmpty
        Test-Path (Join-Path $installed.DirectoryName 'dependencies/OciRegistry.Core.dll') | Should -BeTrue
        $output = Invoke-ChildPwsh @"
`$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + `$env:PSModulePath
Import-Module OciRegistry -ErrorAction Stop
(Get-Module OciRegistry).ModuleBase
`$registry = Start-OciTestRegistry -SampleContent
try { @(Get-OciTag "`$(`$registry.Host)/samples/hello").Count } finally { `$registry.Stop() }
"@
        $output[0] | Should -BeLike "$modules*"
        [int]$output[-1] | Should -Be 4
    }
}
