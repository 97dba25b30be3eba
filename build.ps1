#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests, demonstrates and packages the OciRegistry module.
.DESCRIPTION
    Build    publishes both projects and assembles out/OciRegistry/<version>/ (module root plus dependencies/), with
             the dependencies precompiled (ReadyToRun) for this machine in dependencies/ready-to-run/<rid>.
    Test     Build, then the xunit suite, then Pester in a child pwsh against out/; ends with one line
             "Tests: N passed, N failed, N skipped" and a non-zero exit code when anything failed.
    Demo     Build, then starts the test registry with the built-in sample content and pulls from it.
    Bench    Build, then tests/Benchmarks: downloads timed side by side with curl and skopeo against docker-registry,
             the test registry's serving next to docker-registry's, and Expand-OciImage next to umoci unpack and
             tar on a 256 MiB gzip and zstd image, and Copy-OciImage next to skopeo copy between two docker-registry
             instances; -Benchmark picks some of them.
    Pester   only the Pester suite, against the module a Build already put in out/ (nothing is built); with
             -PesterHost powershell it runs under Windows PowerShell 5.1 (powershell.exe) instead of pwsh.
             Ends with the same "Tests: ..." line and exit code as Test.
    Package  Build (precompiled for linux-x64, linux-arm64, win-x64 and osx-arm64), then
             out/packages/OciRegistry.<version>.nupkg for a PowerShell repository (Install-PSResource).
    Clean    removes out/ and the projects' bin/ and obj/.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Demo
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Bench -Benchmark Extract    # only Expand-OciImage next to umoci and tar
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Pester -PesterHost powershell    # Windows, after a Build or Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Demo', 'Bench', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Extra arguments for the Pester run, e.g. -PesterTag Interop.
    [string[]] $PesterTag,

    # Skip the xunit suite (Pester only).
    [switch] $SkipUnit,

    # The PowerShell the Pester suite runs in: pwsh (7.x, the local dotnet tool) or powershell (Windows PowerShell 5.1).
    [ValidateSet('pwsh', 'powershell')]
    [string] $PesterHost = 'pwsh',

    # Which benchmarks -Task Bench runs: Download (Invoke-Benchmarks.ps1), Registry, Extract, Copy; all by default.
    [ValidateSet('Download', 'Registry', 'Extract', 'Copy')]
    [string[]] $Benchmark = @('Download', 'Registry', 'Extract', 'Copy'),

    # The runtimes the dependencies are precompiled for (dependencies/ready-to-run/<rid>, used by PowerShell 7 on
    # .NET 10): by default this machine's, and for -Task Package every one the module ships for. None: IL only.
    [ValidateSet('linux-x64', 'linux-arm64', 'win-x64', 'osx-arm64', 'None')]
    [string[]] $ReadyToRun
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Get-ModuleVersion {
    [xml] $props = Get-Content -Raw (Join-Path $root 'src/Directory.Build.props')
    return ($props.Project.PropertyGroup | Where-Object { $_['VersionPrefix'] } | Select-Object -First 1).VersionPrefix
}

function Get-ReadyToRunTargets {
    if ($ReadyToRun) { return @($ReadyToRun | Where-Object { $_ -ne 'None' }) }
    if ($Task -eq 'Package') { return @('linux-x64', 'linux-arm64', 'win-x64', 'osx-arm64') }
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $current = "$os-$("$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant())"
    return @(@('linux-x64', 'linux-arm64', 'win-x64', 'osx-arm64') | Where-Object { $_ -eq $current })
}

function Invoke-ReadyToRun([string] $ModuleDir) {
    # The SDK's PublishReadyToRun compiles every assembly src/OciRegistry.ReadyToRun pulls in for one runtime: ours
    # from the same IL the module ships, Polly and ZstdSharp in their newest builds (net10.0, net9.0), and the
    # facades those go with (Microsoft.Bcl.TimeProvider forwarding to the runtime's TimeProvider).
    foreach ($runtime in Get-ReadyToRunTargets) {
        $published = Join-Path $out "ready-to-run/$runtime"
        Remove-Item -Recurse -Force $published -ErrorAction Ignore
        Invoke-Native dotnet @('publish', (Join-Path $root 'src/OciRegistry.ReadyToRun/OciRegistry.ReadyToRun.csproj'), '-c', $Configuration, '-r', $runtime, '-o', $published, '--nologo', '-v', 'q')
        $target = Join-Path $ModuleDir "dependencies/ready-to-run/$runtime"
        $null = New-Item -ItemType Directory -Force $target
        $files = @(Get-ChildItem $published -File -Filter '*.dll' | Where-Object Name -ne 'OciRegistry.ReadyToRun.dll')
        $files | Copy-Item -Destination $target
        foreach ($required in 'OciRegistry.Core.dll', 'OciRegistry.TestRegistry.dll', 'Polly.Core.dll', 'ZstdSharp.dll', 'Microsoft.Bcl.TimeProvider.dll') {
            if ($required -notin $files.Name) { throw "The ready-to-run output for $runtime lacks $required" }
        }
        # The load context uses the folder only when every file this list names is there: its builds must not mix
        # with the plain ones.
        Set-Content -Path (Join-Path $target 'contents.txt') -Value ($files.Name | Sort-Object)
    }
}

function Invoke-Build {
    $sdk = (& dotnet --version) -as [version]
    if (-not $sdk -or $sdk.Major -lt 10) { throw "The .NET SDK 10 or later is needed; dotnet --version says '$(& dotnet --version)'." }
    $version = Get-ModuleVersion
    $publish = Join-Path $out 'publish'
    $moduleDir = Join-Path $out "OciRegistry/$version"
    Remove-Item -Recurse -Force $publish, (Join-Path $out 'OciRegistry') -ErrorAction Ignore
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/OciRegistry/OciRegistry.csproj'), '-c', $Configuration, '-o', $publish, '--nologo', '-v', 'q')
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/OciRegistry.LoadContext/OciRegistry.LoadContext.csproj'), '-c', $Configuration, '-o', $publish, '--nologo', '-v', 'q')

    $null = New-Item -ItemType Directory -Force (Join-Path $moduleDir 'dependencies')
    # The module root holds only what PowerShell loads by name; everything the cmdlets pull in goes to dependencies/.
    $rootFiles = @('OciRegistry.dll')
    foreach ($file in Get-ChildItem $publish -File -Filter '*.dll') {
        $target = if ($file.Name -in $rootFiles) { $moduleDir } else { Join-Path $moduleDir 'dependencies' }
        Copy-Item $file.FullName $target
    }
    foreach ($required in @('OciRegistry.dll', 'dependencies/OciRegistry.Core.dll', 'dependencies/OciRegistry.TestRegistry.dll', 'dependencies/Polly.Core.dll', 'dependencies/ZstdSharp.dll', 'dependencies/OciRegistry.LoadContext.dll')) {
        if (-not (Test-Path (Join-Path $moduleDir $required))) { throw "The publish output lacks $required" }
    }

    Invoke-ReadyToRun $moduleDir

    # LICENSE travels with the module (and so in the .nupkg); the top level of the repository has no room for it.
    Copy-Item (Join-Path $root 'OciRegistry.psm1'), (Join-Path $root 'src/OciRegistry/OciRegistry.Format.ps1xml'), (Join-Path $root 'src/LICENSE') $moduleDir
    $manifest = Get-Content -Raw (Join-Path $root 'OciRegistry.psd1')
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    Set-Content -Path (Join-Path $moduleDir 'OciRegistry.psd1') -Value $manifest -NoNewline
    $null = Test-ModuleManifest (Join-Path $moduleDir 'OciRegistry.psd1')
    Invoke-HelpBuild (Join-Path $moduleDir 'OciRegistry.psd1')
    Write-Host "Built $moduleDir"
    return Join-Path $moduleDir 'OciRegistry.psd1'
}

function Invoke-HelpBuild([string] $ModuleManifest) {
    # Get-Help reads <module>/en-US: MAML for the cmdlets, about_*.help.txt for the topics, made from src/Help/en-US.
    $source = Join-Path $root 'src/Help/en-US'
    $target = Join-Path (Split-Path $ModuleManifest) 'en-US'
    $null = & (Join-Path $root 'src/Help/ConvertTo-MamlHelp.ps1') -SourcePath $source -ModuleManifest $ModuleManifest -OutputPath $target
}

function Invoke-ChildScript([string] $Script, [string] $ModuleManifest) {
    # A fresh pwsh, so the script sees the built module and nothing this process loaded.
    Push-Location $root
    try { & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $root $Script) -ModuleManifest $ModuleManifest | Out-Host }
    finally { Pop-Location }
    return $LASTEXITCODE
}

function Invoke-Package([string] $ModuleManifest) {
    # Publish-PSResource to a throwaway local repository writes the .nupkg PowerShell repositories expect.
    $packages = Join-Path $out 'packages'
    Remove-Item -Recurse -Force $packages -ErrorAction Ignore
    $null = New-Item -ItemType Directory $packages
    $name = "OciRegistryBuild$PID"
    Register-PSResourceRepository -Name $name -Uri $packages -Trusted
    try { Publish-PSResource -Path (Split-Path $ModuleManifest) -Repository $name -SkipDependenciesCheck }
    finally { Unregister-PSResourceRepository -Name $name }
    $nupkg = Get-ChildItem $packages -Filter '*.nupkg' | Select-Object -First 1
    if (-not $nupkg) { throw "Publish-PSResource wrote no package to $packages" }
    Write-Host "Packaged $($nupkg.FullName)"
    return $nupkg.FullName
}

function Get-BuiltManifest {
    $manifest = Join-Path $out "OciRegistry/$(Get-ModuleVersion)/OciRegistry.psd1"
    if (-not (Test-Path $manifest)) { throw "No built module at $manifest; run ./build.ps1 -Task Build (or Test) first." }
    return $manifest
}

function Write-TestSummary([object[]] $Parts) {
    $totals = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($part in $Parts) {
        $totals.Passed += $part.Passed; $totals.Failed += $part.Failed; $totals.Skipped += $part.Skipped
    }
    Write-Host "Tests: $($totals.Passed) passed, $($totals.Failed) failed, $($totals.Skipped) skipped"
    return [int]($totals.Failed -gt 0)
}

function Invoke-UnitTests {
    $results = Join-Path $out 'TestResults'
    Remove-Item -Recurse -Force $results -ErrorAction Ignore
    & dotnet test (Join-Path $root 'tests/OciRegistry.Core.Tests/OciRegistry.Core.Tests.csproj') -c $Configuration --nologo `
        --logger 'trx;LogFileName=core.trx' --logger 'console;verbosity=minimal' --results-directory $results | Out-Host
    $trx = Join-Path $results 'core.trx'
    if (-not (Test-Path $trx)) { return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    [xml] $doc = Get-Content -Raw $trx
    $counters = $doc.TestRun.ResultSummary.Counters
    return [pscustomobject]@{
        Passed  = [int] $counters.passed
        Failed  = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        Skipped = [int] $counters.notExecuted
    }
}

function Get-PesterPath {
    Invoke-Native dotnet @('restore', (Join-Path $root 'tests/Pester.proj'), '--nologo', '-v', 'q')
    [xml] $proj = Get-Content -Raw (Join-Path $root 'tests/Pester.proj')
    $version = ($proj.Project.PropertyGroup | Where-Object { $_['PesterVersion'] } | Select-Object -First 1).PesterVersion
    $packages = $env:NUGET_PACKAGES
    if (-not $packages) {
        $line = & dotnet nuget locals global-packages --list --force-english-output | Select-Object -First 1
        $packages = ($line -replace '^global-packages:\s*', '').Trim()
    }
    # Tests find other restored packages (another module's Polly) through this.
    $env:OCIREGISTRY_TEST_PACKAGES = $packages
    $psd1 = Join-Path $packages "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path $psd1)) { throw "Pester $version was not restored to $psd1" }
    return $psd1
}

function Invoke-PesterTests([string] $ModuleManifest) {
    $pester = Get-PesterPath
    $summary = Join-Path $out 'pester-summary.json'
    Remove-Item $summary -ErrorAction Ignore
    $runner = Join-Path $root 'tests/Invoke-PesterRun.ps1'
    $arguments = @('-NoProfile', '-NonInteractive', '-File', $runner, '-PesterPath', $pester, '-ModuleManifest', $ModuleManifest, '-SummaryPath', $summary)
    if ($PesterTag) { $arguments += @('-Tag', ($PesterTag -join ',')) }
    if ($PesterHost -eq 'powershell') {
        if (-not $IsWindows) { throw '-PesterHost powershell needs Windows: Windows PowerShell 5.1 (powershell.exe) exists only there.' }
        # Bypass for this process only: the runner and the test files are not signed.
        $command = 'powershell.exe'
        $arguments = @('-ExecutionPolicy', 'Bypass') + $arguments
    }
    else {
        $command = 'dotnet'
        $arguments = @('pwsh') + $arguments
    }
    Push-Location $root
    try { & $command @arguments | Out-Host } finally { Pop-Location }
    if (-not (Test-Path $summary)) { return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    return Get-Content -Raw $summary | ConvertFrom-Json
}

switch ($Task) {
    'Clean' {
        Remove-Item -Recurse -Force $out -ErrorAction Ignore
        Get-ChildItem $root -Recurse -Directory -Include bin, obj | Remove-Item -Recurse -Force
    }
    'Build' { $null = Invoke-Build }
    'Package' { $null = Invoke-Package (Invoke-Build) }
    'Demo' { exit (Invoke-ChildScript 'src/Demo/Invoke-OciDemo.ps1' (Invoke-Build)) }
    'Bench' {
        $manifest = Invoke-Build
        $scripts = [ordered]@{ Download = 'Invoke-Benchmarks.ps1'; Registry = 'Invoke-RegistryBenchmarks.ps1'; Extract = 'Invoke-ExtractBenchmarks.ps1'; Copy = 'Invoke-CopyBenchmarks.ps1' }
        $failed = 0
        foreach ($name in $scripts.Keys | Where-Object { $_ -in $Benchmark }) {
            if ((Invoke-ChildScript "tests/Benchmarks/$($scripts[$name])" $manifest) -ne 0) { $failed = 1 }
        }
        exit $failed
    }
    'Test' {
        $manifest = Invoke-Build
        $env:OCIREGISTRY_PACKAGE = Invoke-Package $manifest
        $parts = @()
        if (-not $SkipUnit) { $parts += Invoke-UnitTests }
        $parts += Invoke-PesterTests $manifest
        exit (Write-TestSummary $parts)
    }
    # No package here: the packaging test needs PSResourceGet, which Windows PowerShell 5.1 lacks, so it skips.
    'Pester' { exit (Write-TestSummary @(Invoke-PesterTests (Get-BuiltManifest))) }
}
