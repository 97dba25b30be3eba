Describe 'Progress lines for CI logs' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
        $bytes = [byte[]]::new(64MB)
        [System.Random]::new(64).NextBytes($bytes)
        $script:big = $registry.AddBlob('ci/big', $bytes)
        $bytes = $null
        $script:small = $registry.AddBlob('ci/big', [byte[]]::new(10KB))
        $files = Join-Path $TestDrive 'artifact'
        $null = New-Item -ItemType Directory $files
        $layer = [byte[]]::new(3MB); [System.Random]::new(3).NextBytes($layer)
        [IO.File]::WriteAllBytes((Join-Path $files 'tool.bin'), $layer)
        $null = Publish-OciTestArtifact $registry -Repository ci/tool -Tag 1.0 -Path (Join-Path $files 'tool.bin')

        # A child pwsh with CI set and its output redirected to us, as a CI agent runs a script; -Verbose is off.
        function script:Invoke-InCi([string] $Command, [string] $ProgressPreferenceValue = 'Continue') {
            $script = "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = '$ProgressPreferenceValue'; Import-Module '$($env:OCIREGISTRY_MODULE)'; $Command"
            $saved = $env:CI
            $env:CI = 'true'
            try { Invoke-ChildPwsh $script | ForEach-Object { "$_" } }
            finally { $env:CI = $saved }
        }
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    It 'writes a start line, lines at each quarter and an end line with bytes and rate for a 64 MiB blob' {
        $file = Join-Path $TestDrive 'big.bin'
        $lines = Invoke-InCi "`$null = Save-OciBlob '$($registry.Host)/ci/big' -Digest $big -OutFile '$file'"
        $mine = @($lines | Where-Object { $_ -match [regex]::Escape($big.Substring(7, 12)) })
        $mine.Count | Should -BeGreaterOrEqual 5 -Because ($lines -join "`n")
        $mine[0] | Should -Match 'starting 64\.0 MB'
        foreach ($quarter in 25, 50, 75) { @($mine -match " \($quarter %\)").Count | Should -Be 1 -Because ($mine -join "`n") }
        $mine[-1] | Should -Match 'saved 64\.0 MB in \d+\.\d s \(.+/s\)'
        $lines | Should -Not -Match '^VERBOSE:'
        (Get-FileHash $file -Algorithm SHA256).Hash | Should -Be $big.Substring(7).ToUpperInvariant()
    }

    It 'says nothing for a small blob, and nothing when $ProgressPreference is SilentlyContinue' {
        $lines = Invoke-InCi "`$null = Save-OciBlob '$($registry.Host)/ci/big' -Digest $small -OutFile '$(Join-Path $TestDrive 'small.bin')'"
        $lines | Should -BeNullOrEmpty
        $lines = Invoke-InCi "`$null = Save-OciBlob '$($registry.Host)/ci/big' -Digest $big -OutFile '$(Join-Path $TestDrive 'quiet.bin')'" -ProgressPreferenceValue SilentlyContinue
        $lines | Should -BeNullOrEmpty
    }

    It 'tags the lines so that a script can capture or drop them' {
        $lines = Invoke-InCi "`$null = Save-OciBlob '$($registry.Host)/ci/big' -Digest $big -OutFile '$(Join-Path $TestDrive 'tagged.bin')' -InformationVariable seen 6>`$null; `$seen | ForEach-Object { (`$_.Tags -join ',') + ' | ' + `$_ }"
        $lines | Should -Not -BeNullOrEmpty
        $lines | ForEach-Object { $_ | Should -Match '^PSHOST,OciRegistry\.Progress \| ' }
    }

    It 'ends Save-OciImage with one overall line, after the lines of its large blob' {
        $layout = Join-Path $TestDrive 'layout'
        $lines = @(Invoke-InCi "`$null = Save-OciImage '$($registry.Host)/ci/tool:1.0' -Path '$layout'")
        $overall = @($lines | Where-Object { $_ -match '^\S+/ci/tool:1\.0: ' })
        $overall.Count | Should -Be 1 -Because ($lines -join "`n")
        $overall[0] | Should -Match 'saved 1 manifest and 2 blobs \(0 already there\), 3\.0 MB in \d+\.\d s'
        $lines[-1] | Should -Be $overall[0]
        @($lines -match 'starting 3\.0 MB').Count | Should -Be 1
    }

    It 'says nothing for a small image' {
        $lines = Invoke-InCi "`$null = Save-OciImage '$($registry.Host)/samples/hello:1.0' -Path '$(Join-Path $TestDrive 'small-layout')'"
        $lines | Should -BeNullOrEmpty
    }
}
