<#
.SYNOPSIS
    Copy-OciImage next to skopeo copy on the same work, on loopback: the download benchmark's image of
    32 x 16 MiB layers copied from one Debian docker-registry to another.
.DESCRIPTION
    The image is made as in Invoke-Benchmarks.ps1 (32 random 16 MiB layers in an OCI layout) and pushed with skopeo
    --preserve-digests to the source registry as bench:32x16. Every run copies it to bench:32x16 on a second
    docker-registry whose storage was deleted and which was restarted just before, so every tool uploads every
    blob; after each run the destination's manifest must hash to the source's digest.

    Rows: Copy-OciImage with its default -ThrottleLimit 4 and with 8; skopeo copy docker:// docker:// (it copies
    up to 6 blobs at once). Method as in Invoke-Benchmarks.ps1: ours is timed with Measure-Command in one child pwsh
    per measurement (the module imported first, and a tag listing of both registries before the clock starts, as
    the download benchmark does), its memory the growth of that process's peak working set over its own idle
    peak; skopeo is timed by GNU time (wall clock, max RSS). Each run also reads both registries' CPU time from
    /proc: the registries' own work (hashing and writing 512 MiB at the destination, reading it at the source) spread
    over every core is a floor no client goes below, printed next to the target. Runs go round-robin over the tools, each figure is a
    tool's best of -Runs, and every run starts after the reset, a sync and 2 s of rest. The source's files stay in
    the page cache for every tool alike. Target: skopeo's time at least 2 x ours, ours under 64 MiB over idle.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [int] $Runs = 3
)

$ErrorActionPreference = 'Stop'
# The children import it by this string: a relative path would be looked up as a module name.
$ModuleManifest = (Resolve-Path $ModuleManifest).Path
Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'BenchmarkRuns.psm1') -Force
foreach ($tool in 'docker-registry', 'skopeo', 'sha256sum', '/usr/bin/time') {
    if (-not (Get-Command $tool -ErrorAction Ignore)) { throw "The copy benchmark needs $tool (apt-get install -y docker-registry skopeo coreutils time)." }
}

$work = Join-Path ([IO.Path]::GetTempPath()) "oci-copy-bench-$PID"
$null = New-Item -ItemType Directory -Force $work
$source = Start-DockerRegistry
$destination = Start-DockerRegistry
$results = [System.Collections.Generic.List[object]]::new()
$image = 'bench:32x16'

function New-RandomFile([string] $Path, [long] $Bytes) {
    & sh -c "head -c $Bytes /dev/urandom > '$Path'"
}

function Reset-Destination {
    # The destination loses everything it holds and starts again on the same port, so that no tool finds a blob
    # its predecessor uploaded (nor a cached descriptor of one). Then, as in Invoke-Benchmarks.ps1, the freed pages
    # are written out and handed back before the next measurement rather than during it.
    $destination.Process.Kill()
    $null = $destination.Process.WaitForExit(5000)
    $data = Join-Path $destination.Root 'data'
    Remove-Item -Recurse -Force $data
    $null = New-Item -ItemType Directory $data
    $destination.Process = Start-Process -FilePath 'docker-registry' -ArgumentList 'serve', (Join-Path $destination.Root 'config.yml') -PassThru `
        -RedirectStandardOutput (Join-Path $destination.Root 'stdout.log') -RedirectStandardError (Join-Path $destination.Root 'stderr.log')
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    while ($true) {
        try {
            $client = [System.Net.Sockets.TcpClient]::new()
            $client.Connect('127.0.0.1', $destination.Port)
            $client.Dispose()
            break
        }
        catch {
            if ($destination.Process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                throw "docker-registry did not restart: $(Get-Content -Raw (Join-Path $destination.Root 'stderr.log') -ErrorAction Ignore)"
            }
            Start-Sleep -Milliseconds 100
        }
    }
    & sync
    Start-Sleep -Seconds 2
}

function Get-ManifestDigest([string] $Registry) {
    # The digest of the manifest bytes as the registry serves them: what a pull by digest would verify.
    $line = & sh -c "skopeo inspect --raw --tls-verify=false 'docker://$Registry/$image' | sha256sum"
    if ($LASTEXITCODE -ne 0) { throw "skopeo inspect --raw docker://$Registry/$image failed" }
    return 'sha256:' + ($line -split ' ')[0]
}

$clockTicks = [double] (& getconf CLK_TCK)
$cores = [Environment]::ProcessorCount

function Get-RegistryCpu {
    # The CPU seconds both registries have used so far (user + system, from /proc): a copy cannot take less wall
    # time than the registries' own share of the machine, whatever the client does.
    $total = 0.0
    foreach ($registry in $source, $destination) {
        $fields = (Get-Content -Raw "/proc/$($registry.Process.Id)/stat").Split(')')[-1].Trim().Split(' ')
        $total += ([double] $fields[11] + [double] $fields[12]) / $clockTicks
    }
    return $total
}

function Measure-Work([string] $Work, [object[]] $Contenders, [string] $Expected) {
    # Round-robin: run 1 of every tool, then run 2 of every tool..., so that a slow spell of the machine falls on
    # all of them alike; each figure is a tool's best run. Every run is checked: a fast copy of the wrong bytes
    # counts for nothing.
    $best = @{}
    foreach ($run in 1..$Runs) {
        foreach ($contender in $Contenders) {
            Reset-Destination
            # Both registries are spoken to once before the clock starts (a tag listing, as the download benchmark
            # does; the destination answers it with 404).
            $prelude = "`$null = Get-OciTag '$($source.Host)/bench' -ErrorAction Ignore`n`$null = Get-OciTag '$($destination.Host)/bench' -ErrorAction Ignore"
            $before = Get-RegistryCpu
            $timed = if ($contender.Ours) { Invoke-Ours $ModuleManifest $contender.Command $prelude } else { Invoke-Peer $contender.Command }
            $measured = [pscustomobject]@{ Seconds = $timed.Seconds; Memory = $timed.Memory; RegistryCpu = (Get-RegistryCpu) - $before }
            $copied = Get-ManifestDigest $destination.Host
            if ($copied -ne $Expected) { throw "$($contender.Tool) left $copied at the destination, not the source's $Expected." }
            Write-Host ('  run {0}: {1}: {2:0.00} s, {3} MiB; the registries used {4:0.00} s of CPU' -f $run, $contender.Tool, $measured.Seconds, $measured.Memory, $measured.RegistryCpu)
            if (-not $best[$contender.Tool] -or $measured.Seconds -lt $best[$contender.Tool].Seconds) { $best[$contender.Tool] = $measured }
        }
    }

    foreach ($contender in $Contenders) {
        $measured = $best[$contender.Tool]
        $results.Add([pscustomobject]@{
            Work = $Work
            Tool = $contender.Tool
            Ours = $contender.Ours
            Seconds = [math]::Round($measured.Seconds, 2)
            Memory = $measured.Memory
            'Peak memory MiB' = if ($contender.Ours) { "+$($measured.Memory) over idle pwsh" } else { $measured.Memory }
            RegistryCpu = $measured.RegistryCpu
            'Registries CPU s' = [math]::Round($measured.RegistryCpu, 2)
            How = if ($contender.Ours) { 'Measure-Command in a child pwsh; peak working set growth' } else { 'GNU time: wall clock, max RSS' }
        })
    }
}

function Ours([string] $Tool, [string] $Command) { @{ Ours = $true; Tool = $Tool; Command = $Command } }
function Peer([string] $Tool, [string] $Command) { @{ Ours = $false; Tool = $Tool; Command = $Command } }

try {
    Write-Host 'Preparing content: a 32 x 16 MiB image, pushed to the source docker-registry with skopeo...'
    $layout = Join-Path $work 'layout'
    $files = foreach ($i in 1..32) { $f = Join-Path $work "layer$i.bin"; New-RandomFile $f 16MB; $f }
    $null = New-OciTestLayout $layout 'many' $files
    Invoke-Skopeo copy --quiet --preserve-digests --dest-tls-verify=false "oci:${layout}:many" "docker://$($source.Host)/$image"
    Remove-Item -Recurse -Force $layout
    $expected = Get-ManifestDigest $source.Host
    Write-Host "Source $($source.Host)/$image is $expected; destination $($destination.Host), reset before every run."

    $from = "$($source.Host)/$image"
    $to = "$($destination.Host)/$image"
    Write-Host 'Measuring the copy...'
    Measure-Work '32 x 16 MiB image, registry to registry' -Expected $expected -Contenders @(
        (Ours 'Copy-OciImage SRC/bench:32x16 DST/bench:32x16' "Copy-OciImage '$from' '$to'")
        (Ours 'Copy-OciImage SRC/bench:32x16 DST/bench:32x16 -ThrottleLimit 8' "Copy-OciImage '$from' '$to' -ThrottleLimit 8")
        (Peer 'skopeo copy --preserve-digests docker://SRC/... docker://DST/...' "skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false --preserve-digests docker://$from docker://$to"))

    $results | Format-Table Work, Tool, Seconds, 'Peak memory MiB', 'Registries CPU s', How -AutoSize -Wrap | Out-String -Width 200 | Write-Host
    $skopeo = $results | Where-Object { -not $_.Ours } | Select-Object -First 1
    foreach ($ours in $results | Where-Object Ours) {
        $ratio = $skopeo.Seconds / $ours.Seconds
        $verdict = if ($ratio -ge 2 -and $ours.Memory -lt 64) { 'meets' } else { 'misses' }
        Write-Host ('{0}: skopeo takes {1:0.00}x its time, +{2} MiB over idle pwsh; {3} the target (2x, under 64 MiB)' -f $ours.Tool, $ratio, $ours.Memory, $verdict)
    }

    # The floor no client can go below here: the two registries' own CPU time spread over every core, with nothing
    # left for the client. The target asks for half of skopeo's time; when that is below the floor, no client meets it
    # on this machine.
    $floor = ($results | Measure-Object RegistryCpu -Minimum).Minimum / $cores
    Write-Host ('Floor: the registries alone used at least {0:0.00} s of CPU per copy, {1:0.00} s of wall time on {2} cores; half of skopeo''s time is {3:0.00} s.' -f ($floor * $cores), $floor, $cores, ($skopeo.Seconds / 2))
    foreach ($ours in $results | Where-Object Ours) {
        Write-Host ('{0}: {1:0.00} s is {2:0.00}x the floor.' -f $ours.Tool, $ours.Seconds, ($ours.Seconds / $floor))
    }
}
finally {
    $source.Stop()
    $destination.Stop()
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}
