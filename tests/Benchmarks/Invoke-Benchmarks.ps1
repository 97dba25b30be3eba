<#
.SYNOPSIS
    Side-by-side figures for the module's downloads against peers on the same work, on loopback:
    Debian's docker-registry serves; Save-OciBlob/Save-OciImage, curl and skopeo fetch.
.DESCRIPTION
    Our side is timed with Measure-Command inside one child pwsh per measurement (the module imported
    first, so import time is not counted); its memory is the growth of that process's peak working set
    over its own idle peak. Peers are timed by GNU time (wall clock, max RSS). Each figure is the best of
    -Runs runs. Output files are deleted between runs; the page cache is left warm for every tool alike.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [int] $Runs = 3,
    # Also measure a 4 GiB blob (memory must stay flat); takes a few minutes more.
    [switch] $Large
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
foreach ($tool in 'docker-registry', 'skopeo', 'curl', '/usr/bin/time') {
    if (-not (Get-Command $tool -ErrorAction Ignore)) { throw "The benchmarks need $tool (apt-get install -y docker-registry skopeo curl time)." }
}

$work = Join-Path ([IO.Path]::GetTempPath()) "oci-bench-$PID"
$null = New-Item -ItemType Directory -Force $work
$registry = Start-DockerRegistry
$results = [System.Collections.Generic.List[object]]::new()

function New-RandomFile([string] $Path, [long] $Bytes) {
    & sh -c "head -c $Bytes /dev/urandom > '$Path'"
}

function Measure-Peer([string] $Work, [string] $Tool, [string] $Command, [scriptblock] $Cleanup) {
    $best = $null
    foreach ($run in 1..$Runs) {
        & $Cleanup
        $timing = & /usr/bin/time -f '%e %M' sh -c $Command 2>&1 | Select-Object -Last 1
        if ($LASTEXITCODE -ne 0) { throw "$Tool failed: $timing" }
        $seconds, $kib = $timing -split ' '
        if (-not $best -or [double]$seconds -lt $best.Seconds) { $best = [pscustomobject]@{ Seconds = [double]$seconds; PeakMiB = [math]::Round([double]$kib / 1024, 1) } }
    }
    $results.Add([pscustomobject]@{ Work = $Work; Tool = $Tool; Seconds = $best.Seconds; 'Peak RSS MiB' = $best.PeakMiB; How = 'GNU time, wall clock and max RSS' })
}

function Measure-Ours([string] $Work, [string] $Tool, [string] $Script, [scriptblock] $Cleanup) {
    $best = $null
    foreach ($run in 1..$Runs) {
        & $Cleanup
        $child = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Import-Module '$ModuleManifest'
`$null = Get-OciTag '$($registry.Host)/bench/big' -ErrorAction Ignore
[GC]::Collect()
`$process = [Diagnostics.Process]::GetCurrentProcess()
`$process.Refresh(); `$idle = `$process.PeakWorkingSet64
`$elapsed = Measure-Command { $Script }
`$process.Refresh()
'{0} {1}' -f `$elapsed.TotalSeconds, ((`$process.PeakWorkingSet64 - `$idle) / 1MB)
"@
        $line = & dotnet pwsh -NoProfile -NonInteractive -Command $child | Select-Object -Last 1
        if ($LASTEXITCODE -ne 0) { throw "$Tool failed: $line" }
        $seconds, $growth = $line -split ' '
        if (-not $best -or [double]$seconds -lt $best.Seconds) { $best = [pscustomobject]@{ Seconds = [double]$seconds; Growth = [math]::Round([double]$growth, 1) } }
    }
    $results.Add([pscustomobject]@{ Work = $Work; Tool = $Tool; Seconds = [math]::Round($best.Seconds, 2); 'Peak RSS MiB' = "+$($best.Growth) over idle pwsh"; How = 'Measure-Command in a child pwsh; peak working set growth' })
}

try {
    $copy = @('copy', '--quiet', '--preserve-digests', '--dest-tls-verify=false')
    Write-Host 'Preparing content: a 1 GiB blob and a 32 x 16 MiB image, pushed to docker-registry with skopeo...'
    $big = Join-Path $work 'big-layout'
    New-RandomFile (Join-Path $work 'big.bin') 1GB
    $bigImage = New-OciTestLayout $big 'big' @(Join-Path $work 'big.bin')
    Invoke-Skopeo @copy "oci:${big}:big" "docker://$($registry.Host)/bench/big:1"
    $bigDigest = $bigImage.Layers[0].digest
    $bigUrl = "http://$($registry.Host)/v2/bench/big/blobs/$bigDigest"

    $many = Join-Path $work 'many-layout'
    $files = foreach ($i in 1..32) { $f = Join-Path $work "layer$i.bin"; New-RandomFile $f 16MB; $f }
    $manyImage = New-OciTestLayout $many 'many' $files
    Invoke-Skopeo @copy "oci:${many}:many" "docker://$($registry.Host)/bench/many:1"
    Remove-Item -Recurse -Force $big, $many

    $out = Join-Path $work 'out'
    $clean = { Remove-Item -Recurse -Force $out -ErrorAction Ignore; $null = New-Item -ItemType Directory $out }

    Write-Host 'Measuring the 1 GiB blob...'
    Measure-Ours '1 GiB blob' 'Save-OciBlob (verified, fsync)' "Save-OciBlob '$($registry.Host)/bench/big' -Digest $bigDigest -Path '$out/big.bin'" $clean
    Measure-Peer '1 GiB blob' 'curl -o FILE && sync FILE (no verification)' "curl -sf -o '$out/big.bin' '$bigUrl' && sync '$out/big.bin'" $clean
    Measure-Peer '1 GiB blob' 'skopeo copy ... dir:' "skopeo copy --quiet --src-tls-verify=false docker://$($registry.Host)/bench/big:1 dir:$out/dir" $clean

    Write-Host 'Measuring the 32 x 16 MiB image...'
    $urls = @($manyImage.ConfigDigest) + $manyImage.Layers.digest | ForEach-Object { "http://$($registry.Host)/v2/bench/many/blobs/$_" }
    $curlAll = ($urls | ForEach-Object -Begin { $i = 0 } -Process { $i++; "curl -sf -o '$out/b$i' '$_'" }) -join ' && '
    Measure-Ours '32 x 16 MiB image' 'Save-OciImage (verified, fsync)' "Save-OciImage '$($registry.Host)/bench/many:1' -Path '$out/layout'" $clean
    Measure-Peer '32 x 16 MiB image' 'curl, blob after blob (no verification)' "$curlAll && sync" $clean
    Measure-Peer '32 x 16 MiB image' 'skopeo copy ... oci:' "skopeo copy --quiet --src-tls-verify=false --dest-oci-accept-uncompressed-layers docker://$($registry.Host)/bench/many:1 oci:$out/layout:1" $clean

    if ($Large) {
        Write-Host 'Preparing and measuring a 4 GiB blob (memory must not grow with size)...'
        $huge = Join-Path $work 'huge-layout'
        New-RandomFile (Join-Path $work 'huge.bin') 4GB
        $hugeImage = New-OciTestLayout $huge 'huge' @(Join-Path $work 'huge.bin')
        Invoke-Skopeo @copy "oci:${huge}:huge" "docker://$($registry.Host)/bench/huge:1"
        Remove-Item -Recurse -Force $huge
        Measure-Ours '4 GiB blob' 'Save-OciBlob (verified, fsync)' "Save-OciBlob '$($registry.Host)/bench/huge' -Digest $($hugeImage.Layers[0].digest) -Path '$out/huge.bin'" $clean
        Measure-Peer '4 GiB blob' 'curl -o FILE && sync FILE (no verification)' "curl -sf -o '$out/huge.bin' 'http://$($registry.Host)/v2/bench/huge/blobs/$($hugeImage.Layers[0].digest)' && sync '$out/huge.bin'" $clean
    }

    Write-Host 'Measuring Import-Module...'
    $imports = foreach ($run in 1..5) {
        [double](& dotnet pwsh -NoProfile -NonInteractive -Command "(Measure-Command { Import-Module '$ModuleManifest' }).TotalMilliseconds" | Select-Object -Last 1)
    }
    $results.Add([pscustomobject]@{ Work = 'Import-Module'; Tool = 'OciRegistry'; Seconds = [math]::Round(($imports | Measure-Object -Minimum).Minimum / 1000, 3); 'Peak RSS MiB' = ''; How = "best of 5 in a fresh pwsh; median $([math]::Round(($imports | Sort-Object)[2])) ms (target: under 300 ms)" })

    $results | Format-Table -AutoSize -Wrap | Out-String -Width 200 | Write-Host
    foreach ($group in $results | Where-Object Work -ne 'Import-Module' | Group-Object Work) {
        $ours = $group.Group | Where-Object Tool -like 'Save-*'
        foreach ($peer in $group.Group | Where-Object Tool -notlike 'Save-*') {
            Write-Host ('{0}: {1} takes {2:0.00}x the time of {3}' -f $group.Name, $ours.Tool, ($ours.Seconds / $peer.Seconds), $peer.Tool)
        }
    }
}
finally {
    $registry.Stop()
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}
