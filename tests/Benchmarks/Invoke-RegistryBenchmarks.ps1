<#
.SYNOPSIS
    The test registry as a server, side by side with Debian's docker-registry on the same content and the same run:
    throughput of one large blob to curl, and many concurrent clients pulling every blob of a many-layer image.
.DESCRIPTION
    Both registries serve the same bytes from disk: ours from an OCI layout (Start-OciTestRegistry -Path, in this
    process), docker-registry from its filesystem storage after skopeo --preserve-digests pushed the same layouts.
    Throughput is curl's own average download speed to /dev/null, best of -Runs. Concurrency starts -Clients curl
    processes at once, each fetching every blob of the image over one connection; all must get every blob with 200,
    and the figure is the wall time until the last one ends (best of -Runs).
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [int] $Runs = 3,
    [long] $BlobSize = 1GB,
    [int] $Clients = 32,
    [int] $Layers = 32,
    [long] $LayerSize = 2MB
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
Import-Module $ModuleManifest -Force
foreach ($tool in 'docker-registry', 'skopeo', 'curl') {
    if (-not (Get-Command $tool -ErrorAction Ignore)) { throw "The registry benchmarks need $tool (apt-get install -y docker-registry skopeo curl)." }
}

$work = Join-Path ([IO.Path]::GetTempPath()) "oci-registry-bench-$PID"
$null = New-Item -ItemType Directory -Force $work


function Measure-Throughput([string] $Url) {
    # curl's average download speed in bytes per second; the best of $Runs.
    $best = 0.0
    foreach ($run in 1..$Runs) {
        $result = (& curl -s -o /dev/null -w '%{http_code} %{speed_download}' $Url) -split ' '
        if ($LASTEXITCODE -ne 0 -or $result[0] -ne '200') { throw "curl $Url failed ($LASTEXITCODE, HTTP $($result[0]))" }
        $best = [Math]::Max($best, [double]::Parse($result[1], [Globalization.CultureInfo]::InvariantCulture))
    }
    return $best
}

function Measure-Concurrency([string] $Base, [string[]] $Digests) {
    # $Clients curl processes at once, each fetching every blob over one connection; every response must be a 200.
    $arguments = ($Digests | ForEach-Object { "-o /dev/null '$Base/$_'" }) -join ' '
    $script = "for i in `$(seq $Clients); do curl -s -w '%{http_code}\n' $arguments & done; wait"
    $best = [TimeSpan]::MaxValue
    foreach ($run in 1..$Runs) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $codes = & sh -c $script
        $clock.Stop()
        $ok = @($codes | Where-Object { $_ -eq '200' }).Count
        if ($ok -ne $Clients * $Digests.Count) { throw "$ok of $($Clients * $Digests.Count) blob requests to $Base succeeded" }
        if ($clock.Elapsed -lt $best) { $best = $clock.Elapsed }
    }
    return $best
}

$docker = $null
try {
    Write-Host "Preparing a $([Math]::Round($BlobSize / 1GB, 2)) GiB blob and a $Layers-layer image of $([Math]::Round($LayerSize / 1MB, 1)) MiB layers in $work"
    $bigFile = Join-Path $work 'big.bin'
    & sh -c "head -c $BlobSize /dev/urandom > '$bigFile'"
    $bigLayout = Join-Path $work 'big'
    $bigDigest = (New-OciTestLayout $bigLayout 'bench' @($bigFile)).Layers[0].digest
    $layerFiles = foreach ($i in 1..$Layers) {
        $file = Join-Path $work "layer$i.bin"
        & sh -c "head -c $LayerSize /dev/urandom > '$file'"
        $file
    }
    $manyLayout = Join-Path $work 'many'
    $manyImage = New-OciTestLayout $manyLayout 'bench' $layerFiles
    $manyDigests = @($manyImage.ConfigDigest) + @($manyImage.Layers.digest)

    $docker = Start-DockerRegistry
    foreach ($pair in @(@($bigLayout, 'big'), @($manyLayout, 'many'))) {
        $output = & skopeo copy --preserve-digests --dest-tls-verify=false "oci:$($pair[0]):bench" "docker://$($docker.Host)/$($pair[1]):bench" 2>&1
        if ($LASTEXITCODE -ne 0) { throw "skopeo could not push to docker-registry: $output" }
    }
    # One registry holding both layouts, each a repository named after its folder, as docker-registry holds both.
    $ours = Start-OciTestRegistry -Path $bigLayout, $manyLayout
    Write-Host "Test registry at $($ours.Host), docker-registry at $($docker.Host)"

    $results = [Collections.Generic.List[object]]::new()
    $oursSpeed = Measure-Throughput "http://$($ours.Host)/v2/big/blobs/$bigDigest"
    $dockerSpeed = Measure-Throughput "http://$($docker.Host)/v2/big/blobs/$bigDigest"
    $results.Add([pscustomobject]@{
            Measure                  = "1 blob of $([Math]::Round($BlobSize / 1MB)) MiB to curl (best of $Runs)"
            'Start-OciTestRegistry'  = '{0:N0} MiB/s' -f ($oursSpeed / 1MB)
            'docker-registry 2.8'    = '{0:N0} MiB/s' -f ($dockerSpeed / 1MB)
            'ours / docker-registry' = '{0:N2}' -f ($oursSpeed / $dockerSpeed)
        })

    $oursTime = Measure-Concurrency "http://$($ours.Host)/v2/many/blobs" $manyDigests
    $dockerTime = Measure-Concurrency "http://$($docker.Host)/v2/many/blobs" $manyDigests
    $results.Add([pscustomobject]@{
            Measure                  = "$Clients curl clients x $($manyDigests.Count) blobs ($([Math]::Round($Clients * ($Layers * $LayerSize) / 1MB)) MiB), all 200 (best of $Runs)"
            'Start-OciTestRegistry'  = '{0:N2} s' -f $oursTime.TotalSeconds
            'docker-registry 2.8'    = '{0:N2} s' -f $dockerTime.TotalSeconds
            'ours / docker-registry' = '{0:N2}' -f ($dockerTime.TotalSeconds / $oursTime.TotalSeconds)
        })
    $results | Format-Table -AutoSize | Out-String -Width 250 | Write-Host
    Write-Host "ours / docker-registry: above 1 means the test registry is faster. Both read the same bytes from disk, page cache warm."
}
finally {
    Stop-OciTestRegistry
    if ($docker) { $docker.Stop() }
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}
