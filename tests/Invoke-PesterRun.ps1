<#
.SYNOPSIS
    Runs the Pester suite in this (child) process against the built module and writes a summary for build.ps1.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string] $Tag
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:OCIREGISTRY_PESTER = $PesterPath
# Test files import the module from here, so they always exercise out/, never bin/.
$env:OCIREGISTRY_MODULE = $ModuleManifest

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Output.CIFormat = 'None'
if ($Tag) { $config.Filter.Tag = $Tag -split ',' }

$result = Invoke-Pester -Configuration $config
[ordered]@{
    Passed  = $result.PassedCount
    # A BeforeAll that throws fails its block without failing a test: count such blocks as failures.
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount + $result.NotRunCount
} | ConvertTo-Json | Set-Content -Path $SummaryPath
