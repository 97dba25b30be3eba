# How every benchmark here times one run: peers under GNU time (wall clock, max RSS), ours in a child pwsh with the
# module imported first, so import time is not counted, and the growth of its peak working set over its own idle
# peak as our memory.

function Invoke-Peer([string] $Command) {
    $timing = & /usr/bin/time -f '%e %M' sh -c $Command 2>&1 | Select-Object -Last 1
    if ($LASTEXITCODE -ne 0) { throw "'$Command' failed: $timing" }
    $seconds, $kib = $timing -split ' '
    [pscustomobject]@{ Seconds = [double]$seconds; Memory = [math]::Round([double]$kib / 1024, 1) }
}

function Invoke-Ours([string] $ModuleManifest, [string] $Script, [string] $Prelude) {
    # One child pwsh per measurement; $Prelude (a tag listing, a warm-up save) runs after the import, before the clock.
    $child = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Import-Module '$ModuleManifest'
$Prelude
[GC]::Collect()
`$process = [Diagnostics.Process]::GetCurrentProcess()
`$process.Refresh(); `$idle = `$process.PeakWorkingSet64
`$elapsed = Measure-Command { $Script }
`$process.Refresh()
'{0} {1}' -f `$elapsed.TotalSeconds, ((`$process.PeakWorkingSet64 - `$idle) / 1MB)
"@
    $line = & dotnet pwsh -NoProfile -NonInteractive -Command $child | Select-Object -Last 1
    if ($LASTEXITCODE -ne 0) { throw "'$Script' failed: $line" }
    $seconds, $growth = $line -split ' '
    [pscustomobject]@{ Seconds = [double]$seconds; Memory = [math]::Round([double]$growth, 1) }
}

Export-ModuleMember -Function Invoke-Peer, Invoke-Ours
