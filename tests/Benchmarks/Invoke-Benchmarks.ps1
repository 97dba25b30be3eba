<#
.SYNOPSIS
    Side-by-side figures for the module's downloads against peers on the same work, on loopback:
    Debian's docker-registry serves; Save-OciBlob/Save-OciImage, curl and skopeo fetch.
.DESCRIPTION
    Our side is timed with Measure-Command inside one child pwsh per measurement (the module imported
    first, so import time is not counted), twice: as the first command after Import-Module, and after a
    16 MiB save in the same session (the runtime has then compiled the hot code fully; a cold process
    spends part of its first seconds doing that on the second core). Its memory is the growth of that
    process's peak working set over its own idle peak. Peers are timed by GNU time (wall clock, max RSS).
    Runs go round-robin over the tools and each figure is a tool's best of -Runs. Before every run the
    output is deleted, synced and left to settle for 2 s; the registry's files stay in the page cache for
    every tool alike.

    Then one blob over a throttled link: a test registry in this process sends each connection 32 MiB/s (its
    Trickle fault, as a CDN that limits connections does) and a 256 MiB blob is saved with -ParallelRange 4 and with
    one connection (both in a session that saved something before, so that the comparison is of the transfers, not
    of a cold process's first request), and by curl.

    Then the whole-process rows, what a CI step pays: every tool, ours included, is one process timed by GNU time
    from start to exit, ours a fresh `pwsh -NoProfile -EncodedCommand "Import-Module ...; <command>"` (the pwsh
    running this script, started as it was). -ProcessRuns rounds (at least 5), each running every tool once in
    turn; a figure is a tool's median, a ratio the median of the per-round ratios (paired run by run), and the
    module's fixed cost the median of (Get-OciManifest -Raw minus pwsh -c 1) per round. The pwsh that runs here is the
    NuGet tool package, whose own assemblies are plain IL; PowerShell's installers (deb, rpm, tar.gz, MSI) ship them
    precompiled. So the whole-process rows run twice for ours: with this pwsh, and with a copy of it whose
    assemblies crossgen2 (the ReadyToRun compiler the build restores) has precompiled, as the installers' are.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [int] $Runs = 3,
    # Also measure a 4 GiB blob (memory must stay flat); takes a few minutes more.
    [switch] $Large,
    # Rounds of the whole-process rows; their figures are medians.
    [ValidateRange(5, 100)]
    [int] $ProcessRuns = 5
)

$ErrorActionPreference = 'Stop'
# The children import it by this string: a relative path would be looked up as a module name.
$ModuleManifest = (Resolve-Path $ModuleManifest).Path
Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'BenchmarkRuns.psm1') -Force
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

function Clear-Output {
    # Deletes the last run's files and lets the machine settle, so that no tool pays for its predecessor: the
    # freed page cache is written out and, on a VM with free-page reporting, handed back to the host before the
    # next measurement rather than during it.
    Remove-Item -Recurse -Force $out -ErrorAction Ignore
    $null = New-Item -ItemType Directory $out
    & sync
    Start-Sleep -Seconds 2
}

function Measure-Work([string] $Work, [object[]] $Contenders) {
    # Round-robin: run 1 of every tool, then run 2 of every tool..., so that a slow spell of the machine falls on
    # all of them alike; each figure is a tool's best run.
    $best = @{}
    foreach ($run in 1..$Runs) {
        foreach ($contender in $Contenders) {
            Clear-Output
            # With a warm-up, that script runs first in the same session and the runtime is given a moment to finish
            # compiling what it found hot (a session that has saved something before); without it, the measured
            # command is the first real work after Import-Module.
            $prelude = "`$null = Get-OciTag '$($registry.Host)/bench/big' -ErrorAction Ignore"
            if ($contender.WarmUp) { $prelude += "`n$($contender.WarmUp)`nStart-Sleep -Seconds 2" }
            $measured = if ($contender.Ours) { Invoke-Ours $ModuleManifest $contender.Command $prelude } else { Invoke-Peer $contender.Command }
            if (-not $best[$contender.Tool] -or $measured.Seconds -lt $best[$contender.Tool].Seconds) { $best[$contender.Tool] = $measured }
        }
    }

    foreach ($contender in $Contenders) {
        $measured = $best[$contender.Tool]
        $results.Add([pscustomobject]@{
            Work = $Work
            Tool = $contender.Tool
            Seconds = [math]::Round($measured.Seconds, 2)
            'Peak memory MiB' = if ($contender.Ours) { "+$($measured.Memory) over idle pwsh" } else { $measured.Memory }
            How = if ($contender.Ours) { 'Measure-Command in a child pwsh; peak working set growth' } else { 'GNU time: wall clock, max RSS' }
        })
    }
}

function Measure-WholeProcess([string] $Work, [object[]] $Contenders) {
    # Every contender is one process under GNU time; ours starts pwsh, imports the module and runs the command.
    # Round-robin over -ProcessRuns rounds; the rounds are kept, so that ratios can be paired run by run.
    $default = @(Get-PwshCommand) | ForEach-Object { "'$_'" }
    $rounds = foreach ($run in 1..$ProcessRuns) {
        $round = @{}
        foreach ($contender in $Contenders) {
            Clear-Output
            $command = $contender.Command
            if ($contender.Ours) {
                $pwsh = if ($contender.Pwsh) { "'$((Get-PwshCommand)[0])' '$($contender.Pwsh)'" } else { $default }
                $script = if ($contender.Command -eq '1') { '1' } else { "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; Import-Module '$ModuleManifest'; `$null = $($contender.Command)" }
                $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
                $command = "$($pwsh -join ' ') -NoProfile -NonInteractive -EncodedCommand $encoded > /dev/null"
            }
            $round[$contender.Tool] = Invoke-Peer $command
        }
        $round
    }
    foreach ($contender in $Contenders) {
        $seconds = @($rounds | ForEach-Object { $_[$contender.Tool].Seconds } | Sort-Object)
        $memory = @($rounds | ForEach-Object { $_[$contender.Tool].Memory } | Sort-Object)
        $results.Add([pscustomobject]@{
            Work = $Work
            Tool = $contender.Tool
            Seconds = [math]::Round($seconds[[int][math]::Floor($seconds.Count / 2)], 2)
            'Peak memory MiB' = "$($memory[[int][math]::Floor($memory.Count / 2)]) max RSS"
            How = "whole process, GNU time; median of $ProcessRuns ($(($seconds | ForEach-Object { $_.ToString('0.00', [cultureinfo]::InvariantCulture) }) -join ' '))"
        })
    }
    return , $rounds
}

function New-PrecompiledPwsh([string] $Folder) {
    # A copy of this pwsh with every assembly of its own precompiled by crossgen2, as PowerShell's installers ship
    # them; null when the build has not restored crossgen2 for this runtime (the rows are then left out).
    $source = Split-Path ([Reflection.Assembly]::GetEntryAssembly().Location)
    $runtime = [Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
    $arch = [Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
    if (-not $IsLinux) { return $null }
    $packages = $env:NUGET_PACKAGES
    if (-not $packages) { $packages = Join-Path $HOME '.nuget/packages' }
    $versions = Get-ChildItem (Join-Path $packages "microsoft.netcore.app.crossgen2.linux-$arch") -Directory -ErrorAction Ignore |
        Where-Object { $_.Name -like "$([Environment]::Version.Major).*" } | Sort-Object { [version]($_.Name -replace '-.*$') }
    if (-not $versions) { return $null }
    $crossgen = Join-Path $versions[-1].FullName 'tools/crossgen2'
    Copy-Item -Recurse $source $Folder
    $all = @(Get-ChildItem $source -Filter *.dll)
    foreach ($dll in $all) {
        # Its neighbours as references one by one: crossgen2 refuses an input that a reference pattern also names.
        $references = foreach ($other in $all) { if ($other.Name -ne $dll.Name) { '-r'; $other.FullName } }
        # An assembly crossgen2 refuses stays as it was.
        $null = & $crossgen $dll.FullName -o (Join-Path $Folder $dll.Name) -r (Join-Path $runtime '*.dll') @references --targetos linux --targetarch $arch -O 2>&1
        if ($LASTEXITCODE -ne 0) { Copy-Item $dll.FullName (Join-Path $Folder $dll.Name) -Force }
    }
    return Join-Path $Folder 'pwsh.dll'
}

function Get-PairedMedian([object[]] $Rounds, [scriptblock] $Pair) {
    # The median over rounds of a figure made from one round's runs, e.g. ours minus the floor, or ours over a peer.
    $values = @($Rounds | ForEach-Object { & $Pair $_ } | Sort-Object)
    return $values[[int][math]::Floor($values.Count / 2)]
}

function Ours([string] $Tool, [string] $Command, [string] $WarmUp, [string] $Pwsh) { @{ Ours = $true; Tool = $Tool; Command = $Command; WarmUp = $WarmUp; Pwsh = $Pwsh } }
function Peer([string] $Tool, [string] $Command) { @{ Ours = $false; Tool = $Tool; Command = $Command } }

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
    $scratch = Join-Path $work 'warm-up'
    $repository = "$($registry.Host)/bench/many"
    $warmBlob = "Save-OciBlob '$repository' -Digest $($manyImage.Layers[0].digest) -OutFile '$scratch/warm.bin' -Force | Out-Null"

    Write-Host 'Measuring the 1 GiB blob...'
    $saveBig = "Save-OciBlob '$($registry.Host)/bench/big' -Digest $bigDigest -OutFile '$out/big.bin'"
    Measure-Work '1 GiB blob' @(
        (Ours 'Save-OciBlob, first command in a fresh pwsh' $saveBig)
        (Ours 'Save-OciBlob, after a 16 MiB save in that pwsh' $saveBig "$warmBlob; Remove-Item -Recurse '$scratch'")
        (Peer 'curl -o FILE && sync FILE (no verification)' "curl -sf -o '$out/big.bin' '$bigUrl' && sync '$out/big.bin'")
        (Ours 'Save-OciBlob -ParallelRange 4, first command in a fresh pwsh' "$saveBig -ParallelRange 4")
        (Peer 'skopeo copy ... dir:' "skopeo copy --quiet --src-tls-verify=false docker://$($registry.Host)/bench/big:1 dir:$out/dir"))

    Write-Host 'Measuring a 256 MiB blob from a registry that sends each connection 32 MiB/s...'
    Import-Module $ModuleManifest
    $trickleFile = Join-Path $work 'trickle.bin'
    New-RandomFile $trickleFile 256MB
    # The layout's folder name is the repository the test registry serves it as.
    $trickleLayout = Join-Path $work 'trickle'
    $trickleDigest = (New-OciTestLayout $trickleLayout 'bench' @($trickleFile)).Layers[0].digest
    $throttled = Start-OciTestRegistry -Path $trickleLayout
    New-OciTestRegistryFault Trickle -BytesPerSecond 32MB -Path '*/blobs/*' | Add-OciTestRegistryFault $throttled
    $saveTrickle = "Save-OciBlob '$($throttled.Host)/trickle' -Digest $trickleDigest -Size $(256MB) -OutFile '$out/trickle.bin'"
    try {
        Measure-Work '256 MiB blob, 32 MiB/s per connection' @(
            (Ours 'Save-OciBlob -ParallelRange 4, after a 16 MiB save in that pwsh' "$saveTrickle -ParallelRange 4" "$warmBlob; Remove-Item -Recurse '$scratch'")
            (Ours 'Save-OciBlob, one connection, after a 16 MiB save in that pwsh' $saveTrickle "$warmBlob; Remove-Item -Recurse '$scratch'")
            (Peer 'curl -o FILE && sync FILE (one connection, no verification)' "curl -sf -o '$out/trickle.bin' '$($throttled.Url)v2/trickle/blobs/$trickleDigest' && sync '$out/trickle.bin'"))
    }
    finally { $throttled.Stop() }
    $trickled = @($results | Where-Object Work -EQ '256 MiB blob, 32 MiB/s per connection')
    $rangeGain = ($trickled | Where-Object Tool -Like 'Save-OciBlob, one connection*').Seconds / ($trickled | Where-Object Tool -Like 'Save-OciBlob -ParallelRange 4*').Seconds

    Write-Host 'Measuring the 32 x 16 MiB image...'
    $urls = @($manyImage.ConfigDigest) + $manyImage.Layers.digest | ForEach-Object { "http://$($registry.Host)/v2/bench/many/blobs/$_" }
    $curlAll = ($urls | ForEach-Object -Begin { $i = 0 } -Process { $i++; "curl -sf -o '$out/b$i' '$_'" }) -join ' && '
    $saveMany = "Save-OciImage '${repository}:1' -Path '$out/layout'"
    Measure-Work '32 x 16 MiB image' @(
        (Ours 'Save-OciImage, first command in a fresh pwsh' $saveMany)
        (Ours 'Save-OciImage, after a 16 MiB save in that pwsh' $saveMany "$warmBlob; Remove-Item -Recurse '$scratch'")
        (Peer 'curl, blob after blob, then sync (no verification)' "$curlAll && sync")
        (Peer 'skopeo copy ... oci:' "skopeo copy --quiet --src-tls-verify=false --dest-oci-accept-uncompressed-layers docker://$($registry.Host)/bench/many:1 oci:$out/layout:1"))

    if ($Large) {
        Write-Host 'Preparing and measuring a 4 GiB blob (memory must not grow with size)...'
        $huge = Join-Path $work 'huge-layout'
        New-RandomFile (Join-Path $work 'huge.bin') 4GB
        $hugeImage = New-OciTestLayout $huge 'huge' @(Join-Path $work 'huge.bin')
        Invoke-Skopeo @copy "oci:${huge}:huge" "docker://$($registry.Host)/bench/huge:1"
        Remove-Item -Recurse -Force $huge
        Measure-Work '4 GiB blob' @(
            (Ours 'Save-OciBlob, first command in a fresh pwsh' "Save-OciBlob '$($registry.Host)/bench/huge' -Digest $($hugeImage.Layers[0].digest) -OutFile '$out/huge.bin'")
            (Ours 'Save-OciBlob -ParallelRange 4, first command in a fresh pwsh' "Save-OciBlob '$($registry.Host)/bench/huge' -Digest $($hugeImage.Layers[0].digest) -OutFile '$out/huge.bin' -ParallelRange 4")
            (Peer 'curl -o FILE && sync FILE (no verification)' "curl -sf -o '$out/huge.bin' 'http://$($registry.Host)/v2/bench/huge/blobs/$($hugeImage.Layers[0].digest)' && sync '$out/huge.bin'"))
    }

    Write-Host "Measuring whole processes ($ProcessRuns rounds)..."
    # A small index for the cheap question: the test registry's two-platform sample, copied as it is.
    $samples = Start-OciTestRegistry -SampleContent
    try { $null = Copy-OciImage "$($samples.Host)/samples/hello:1.0" "$($registry.Host)/bench/hello:1.0" } finally { $samples.Stop() }
    $index = "$($registry.Host)/bench/hello:1.0"
    $floor = 'pwsh -NoProfile -c 1'
    Write-Host 'Precompiling a copy of this pwsh with crossgen2, as the PowerShell installers ship it...'
    $precompiled = New-PrecompiledPwsh (Join-Path $work 'pwsh-precompiled')
    $also = if ($precompiled) { ', precompiled pwsh' } else { $null }
    $manifestRounds = Measure-WholeProcess 'a two-platform index, raw (fresh process)' @(
        (Ours $floor '1')
        (Ours 'Get-OciManifest -Raw' "Get-OciManifest '$index' -Raw")
        if ($also) { (Ours "$floor$also" '1' -Pwsh $precompiled); (Ours "Get-OciManifest -Raw$also" "Get-OciManifest '$index' -Raw" -Pwsh $precompiled) }
        (Peer 'skopeo inspect --raw' "skopeo inspect --raw --tls-verify=false docker://$index > /dev/null"))
    $imageRounds = Measure-WholeProcess '32 x 16 MiB image (fresh process)' @(
        (Ours 'Save-OciImage' $saveMany)
        if ($also) { Ours "Save-OciImage$also" $saveMany -Pwsh $precompiled }
        (Peer 'skopeo copy ... oci:' "skopeo copy --quiet --src-tls-verify=false --dest-oci-accept-uncompressed-layers docker://$($registry.Host)/bench/many:1 oci:$out/layout:1")
        (Peer 'curl, blob after blob, then sync' "$curlAll && sync"))
    $blobRounds = Measure-WholeProcess '1 GiB blob (fresh process)' @(
        (Ours 'Save-OciBlob' $saveBig)
        if ($also) { Ours "Save-OciBlob$also" $saveBig -Pwsh $precompiled }
        (Peer 'curl -o FILE && sync FILE' "curl -sf -o '$out/big.bin' '$bigUrl' && sync '$out/big.bin'"))
    # The hash alone, on the file a run just wrote (in the page cache): what verifying 1 GiB costs one core.
    & sh -c "curl -sf -o '$out/big.bin' '$bigUrl'"
    $hash = foreach ($run in 1..$ProcessRuns) { (Invoke-Peer "openssl dgst -sha256 '$out/big.bin' > /dev/null").Seconds }
    $hash = @($hash | Sort-Object)
    $results.Add([pscustomobject]@{ Work = '1 GiB blob (fresh process)'; Tool = 'openssl dgst -sha256 (the file, cached)'; Seconds = [math]::Round($hash[[int][math]::Floor($hash.Count / 2)], 2); 'Peak memory MiB' = ''; How = "GNU time; median of $ProcessRuns" })
    $hashSeconds = $hash[0]
    $warmBig = $results | Where-Object { $_.Work -eq '1 GiB blob' -and $_.Tool -eq 'Save-OciBlob, after a 16 MiB save in that pwsh' }
    $verdicts = @(
        ('Four parallel ranges save the throttled 256 MiB blob {0:0.00}x faster than one connection (target: at least 3.5x)' -f $rangeGain)
        ('Save-OciBlob of 1 GiB in a warm session takes {0:0.00}x openssl dgst -sha256 of the same file, best runs of each (target: at most 1.15x)' -f ($warmBig.Seconds / $hashSeconds))
    )
    foreach ($suffix in @(''; $also | Where-Object { $_ })) {
        $with = if ($suffix) { ' (precompiled pwsh)' } else { ' (the NuGet tool pwsh, plain IL)' }
        $fixedCost = Get-PairedMedian $manifestRounds { param($r) $r["Get-OciManifest -Raw$suffix"].Seconds - $r["$floor$suffix"].Seconds }
        $imageRatio = Get-PairedMedian $imageRounds { param($r) $r["Save-OciImage$suffix"].Seconds / $r['skopeo copy ... oci:'].Seconds }
        $blobRatio = Get-PairedMedian $blobRounds { param($r) $r["Save-OciBlob$suffix"].Seconds / $r['curl -o FILE && sync FILE'].Seconds }
        $verdicts += @(
            ('The module''s fixed cost (Get-OciManifest -Raw minus pwsh -c 1, paired){0}: {1:0.00} s (target: at most 0.20 s)' -f $with, $fixedCost)
            ('Save-OciImage as a whole process{0} takes {1:0.00}x skopeo copy''s time, paired (target: at most 0.80x)' -f $with, $imageRatio)
            ('Save-OciBlob of 1 GiB as a whole process{0} takes {1:0.00}x curl -o && sync''s time, paired (target: at most 1.00x)' -f $with, $blobRatio)
        )
    }

    Write-Host 'Measuring Import-Module...'
    $imports = foreach ($run in 1..5) {
        [double](& dotnet pwsh -NoProfile -NonInteractive -Command "(Measure-Command { Import-Module '$ModuleManifest' }).TotalMilliseconds" | Select-Object -Last 1)
    }
    $results.Add([pscustomobject]@{ Work = 'Import-Module'; Tool = 'OciRegistry'; Seconds = [math]::Round(($imports | Measure-Object -Minimum).Minimum / 1000, 3); 'Peak memory MiB' = ''; How = "best of 5 in a fresh pwsh; median $([math]::Round(($imports | Sort-Object)[2])) ms (target: under 300 ms)" })

    $results | Format-Table -AutoSize -Wrap | Out-String -Width 200 | Write-Host
    foreach ($group in $results | Where-Object { $_.Work -ne 'Import-Module' -and $_.Work -notlike '*(fresh process)' } | Group-Object Work) {
        foreach ($ours in $group.Group | Where-Object Tool -like 'Save-*') {
            foreach ($peer in $group.Group | Where-Object Tool -notlike 'Save-*') {
                Write-Host ('{0}: {1} takes {2:0.00}x the time of {3}' -f $group.Name, $ours.Tool, ($ours.Seconds / $peer.Seconds), $peer.Tool)
            }
        }
    }
    $verdicts | Write-Host
}
finally {
    $registry.Stop()
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}
