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

    It 'carries the MIT LICENSE and a manifest that points at no invented project page' -Skip:(-not $env:OCIREGISTRY_PACKAGE) {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($package)
        try {
            $read = {
                param([string] $Name)
                $entry = $zip.Entries | Where-Object FullName -EQ $Name
                $entry | Should -Not -BeNullOrEmpty -Because "the package should hold $Name at its root"
                $reader = [System.IO.StreamReader]::new($entry.Open())
                try { $reader.ReadToEnd() } finally { $reader.Dispose() }
            }
            $license = & $read 'LICENSE'
            $manifestText = & $read 'OciRegistry.psd1'
            $nuspec = [xml] (& $read 'OciRegistry.nuspec')
        }
        finally { $zip.Dispose() }

        $license | Should -BeExactly (Get-Content -Raw (Join-Path $PSScriptRoot '../src/LICENSE'))
        $license | Should -Match '^MIT License\r?\n'
        $license | Should -Match 'Copyright \(c\) 2026 The OciRegistry authors'
        $license | Should -Match 'Permission is hereby granted, free of charge, to any person obtaining a copy'

        $manifestFile = Join-Path $TestDrive 'OciRegistry.psd1'
        Set-Content -Path $manifestFile -Value $manifestText -NoNewline
        $psData = (Import-PowerShellDataFile $manifestFile).PrivateData.PSData
        $psData.Keys | Should -Not -Contain 'ProjectUri'
        $psData.LicenseUri | Should -Be 'https://opensource.org/licenses/MIT'
        $nuspec.package.metadata.licenseUrl | Should -Be 'https://opensource.org/licenses/MIT'
        @($nuspec.package.metadata.ChildNodes.LocalName) | Should -Not -Contain 'projectUrl'
    }
}
