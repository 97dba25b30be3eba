<#
.SYNOPSIS
    Expand-OciImage next to umoci unpack and plain tar on the same image: 256 MiB in 4 layers, as gzip and as zstd,
    served by Debian's docker-registry on loopback and read from OCI layouts on disk.
.DESCRIPTION
    The image is made here, the same bytes every time (python3 tarfile with a fixed seed and fixed headers, then the
    gzip -6 -n and zstd -3 CLIs): about 20,000 files of 1-16 KiB, a few dozen of 256 KiB-2 MiB, a few large ones; part
    text that compresses about 3:1, part random bytes; an upper layer whites out a file, a directory and (opaque) the
    lower content of another directory. Two OCI layouts hold it, gzip and zstd twins of one config (diff_ids are the
    uncompressed tars'), and skopeo pushes both to docker-registry.

    Rows: Expand-OciImage pulling from docker-registry (the end-to-end figure) and with -LayoutPath (no network);
    umoci unpack (gzip only: umoci 0.4 reads no zstd; it also writes a runtime config and an mtree manifest, which
    hashes every file); tar -xzf / zstd -dc | tar -x of the layout's layer blobs one after another, which applies no
    whiteouts. tar reads the same page-cached layout files as -LayoutPath, so those two are the like-for-like pair.

    Method as in Invoke-Benchmarks.ps1: ours is timed with Measure-Command in one child pwsh per measurement (the
    module imported first), its memory the growth of that process's peak working set over its idle peak; peers are
    timed by GNU time (wall clock, max RSS). Runs go round-robin over the tools, each figure is a tool's best of -Runs,
    and every run starts from deleted, synced output and 2 s of rest. No row syncs what it wrote. At the end the
    trees are compared: Expand-OciImage (gzip and zstd) must match umoci's rootfs entry for entry.
#>
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [int] $Runs = 3
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'BenchmarkRuns.psm1') -Force
foreach ($tool in 'docker-registry', 'skopeo', 'umoci', 'python3', 'gzip', 'zstd', 'tar', 'find', '/usr/bin/time') {
    if (-not (Get-Command $tool -ErrorAction Ignore)) { throw "The extraction benchmark needs $tool (apt-get install -y docker-registry skopeo umoci python3 gzip zstd tar findutils time)." }
}

$work = Join-Path ([IO.Path]::GetTempPath()) "oci-extract-bench-$PID"
$null = New-Item -ItemType Directory -Force $work
$out = Join-Path $work 'out'
$registry = Start-DockerRegistry
$results = [System.Collections.Generic.List[object]]::new()

# Writes $work/gzip-layout (tag gzip) and $work/zstd-layout (tag zstd); prints sizes and the layer blobs in order.
$generator = @'
import hashlib, io, itertools, json, os, random, subprocess, sys, tarfile

work = sys.argv[1]
rng = random.Random(20240611)
MTIME = 1700000000
letters = 'abcdefghijklmnopqrstuvwxyz'
words = [''.join(rng.choices(letters, k=rng.randint(2, 10))) for _ in range(6000)]
# Zipf-like weights for words and lines, as in prose and source: gzip -6 makes about 3.4:1 of it.
word_weights = list(itertools.accumulate(1 / (i + 1) for i in range(len(words))))
lines = [' '.join(rng.choices(words, cum_weights=word_weights, k=rng.randint(3, 14))) + '\n' for _ in range(8192)]
line_weights = list(itertools.accumulate(1 / (i + 1) ** 0.7 for i in range(len(lines))))

def text(size):
    parts, total = [], 0
    while total < size:
        chunk = rng.choices(lines, cum_weights=line_weights, k=64)
        parts.extend(chunk)
        total += sum(map(len, chunk))
    return ''.join(parts).encode()[:size]

def content(size, random_share):
    return rng.randbytes(size) if rng.random() < random_share else text(size)

class Layer:
    # Fixed owner, mode and mtime, PAX format: the same bytes on every run and every machine.
    def __init__(self, path):
        self.tar = tarfile.open(path, 'w', format=tarfile.PAX_FORMAT)
        self.dirs = set()
    def _info(self, name, kind, mode):
        info = tarfile.TarInfo(name)
        info.type, info.mode, info.mtime, info.uid, info.gid, info.uname, info.gname = kind, mode, MTIME, 0, 0, '', ''
        return info
    def dir(self, name):
        if not name or name in self.dirs: return
        self.dir(os.path.dirname(name))
        self.dirs.add(name)
        self.tar.addfile(self._info(name, tarfile.DIRTYPE, 0o755))
    def file(self, name, data, mode=0o644):
        self.dir(os.path.dirname(name))
        info = self._info(name, tarfile.REGTYPE, mode)
        info.size = len(data)
        self.tar.addfile(info, io.BytesIO(data))
    def link(self, name, target, kind=tarfile.SYMTYPE):
        self.dir(os.path.dirname(name))
        info = self._info(name, kind, 0o777 if kind == tarfile.SYMTYPE else 0o644)
        info.linkname = target
        self.tar.addfile(info)
    def close(self): self.tar.close()

def small_files(layer, root, count, random_share):
    for i in range(count):
        layer.file(f'{root}/p{i // 40:04d}/f{i % 40:02d}.{"txt" if i % 3 else "bin"}', content(rng.randint(1024, 16384), random_share))

def medium_files(layer, root, count):
    for i in range(count):
        layer.file(f'{root}/lib{i:02d}.so.1', content(rng.randint(256 << 10, 2 << 20), 0.5), 0o755)
        layer.link(f'{root}/lib{i:02d}.so', f'lib{i:02d}.so.1')

tars = [os.path.join(work, f'layer{n}.tar') for n in range(1, 5)]
# 1: a base system: many small files, libraries, a large compressible archive, a hard link.
l = Layer(tars[0])
small_files(l, 'usr/share/doc', 8500, 0.3)
medium_files(l, 'usr/lib', 12)
l.file('usr/lib/locale/locale-archive', text(12 << 20))
l.file('usr/bin/tool', rng.randbytes(3 << 20), 0o755)
l.link('usr/bin/tool-alias', 'usr/bin/tool', tarfile.LNKTYPE)
l.file('etc/os-release', b'ID=bench\n')
l.close()
# 2: a runtime: a package tree of small files, libraries, a large binary that barely compresses.
l = Layer(tars[1])
small_files(l, 'opt/runtime/modules', 6000, 0.35)
medium_files(l, 'opt/runtime/lib', 10)
l.file('opt/runtime/bin/runtime', rng.randbytes(16 << 20), 0o755)
l.close()
# 3: the application; whiteouts of a base file, a base directory, and (opaque) another directory's base content.
l = Layer(tars[2])
small_files(l, 'srv/app/static', 3500, 0.4)
medium_files(l, 'srv/app/lib', 6)
l.file('srv/app/data/store.db', text(6 << 20) + rng.randbytes(6 << 20))
l.file('usr/share/doc/p0007/.wh.f01.txt', b'')
l.file('usr/share/doc/.wh.p0011', b'')
l.file('usr/share/doc/p0012/.wh..wh..opq', b'')
l.file('usr/share/doc/p0012/NEWS', text(4000))
l.close()
# 4: configuration and logs: rewrites of base files (one into the whited-out directory), a log, a whiteout of a large file.
l = Layer(tars[3])
for i in range(0, 8500, 45):
    l.file(f'usr/share/doc/p{i // 40:04d}/f{i % 40:02d}.{"txt" if i % 3 else "bin"}', text(rng.randint(1024, 8192)))
small_files(l, 'etc/app.d', 1000, 0.2)
l.file('var/log/app.log', text(8 << 20))
l.file('opt/runtime/bin/.wh.runtime', b'')
l.close()

def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        while chunk := f.read(1 << 20): h.update(chunk)
    return h.hexdigest()

diff_ids = ['sha256:' + sha256(t) for t in tars]
entries = 0
for t in tars:
    with tarfile.open(t) as f: entries += len(f.getmembers())

def layout(name, tag, media_type, command):
    path = os.path.join(work, name)
    blobs = os.path.join(path, 'blobs', 'sha256')
    os.makedirs(blobs, exist_ok=True)
    def put(data):
        digest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(blobs, digest), 'wb') as f: f.write(data)
        return {'digest': 'sha256:' + digest, 'size': len(data)}
    layers = []
    for t in tars:
        tmp = os.path.join(blobs, 'tmp')
        with open(t, 'rb') as src, open(tmp, 'wb') as dst: subprocess.run(command, stdin=src, stdout=dst, check=True)
        digest = sha256(tmp)
        os.rename(tmp, os.path.join(blobs, digest))
        layers.append({'mediaType': media_type, 'digest': 'sha256:' + digest, 'size': os.path.getsize(os.path.join(blobs, digest))})
    config = {'architecture': 'amd64', 'os': 'linux', 'config': {'Env': ['PATH=/usr/bin'], 'WorkingDir': '/'},
              'rootfs': {'type': 'layers', 'diff_ids': diff_ids}}
    config_descriptor = {'mediaType': 'application/vnd.oci.image.config.v1+json', **put(json.dumps(config, separators=(',', ':')).encode())}
    manifest = {'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.manifest.v1+json', 'config': config_descriptor, 'layers': layers}
    manifest_descriptor = {'mediaType': 'application/vnd.oci.image.manifest.v1+json', **put(json.dumps(manifest, separators=(',', ':')).encode()),
                           'annotations': {'org.opencontainers.image.ref.name': tag}}
    with open(os.path.join(path, 'oci-layout'), 'w') as f: f.write('{"imageLayoutVersion":"1.0.0"}')
    with open(os.path.join(path, 'index.json'), 'w') as f:
        json.dump({'schemaVersion': 2, 'mediaType': 'application/vnd.oci.image.index.v1+json', 'manifests': [manifest_descriptor]}, f)
    return [os.path.join(blobs, x['digest'][7:]) for x in layers]

gz = layout('gzip-layout', 'gzip', 'application/vnd.oci.image.layer.v1.tar+gzip', ['gzip', '-6', '-n', '-c'])
zs = layout('zstd-layout', 'zstd', 'application/vnd.oci.image.layer.v1.tar+zstd', ['zstd', '-3', '-T1', '-q', '-c'])
print(json.dumps({'uncompressed': sum(map(os.path.getsize, tars)), 'entries': entries, 'gzip': gz, 'zstd': zs,
                  'gzipBytes': sum(map(os.path.getsize, gz)), 'zstdBytes': sum(map(os.path.getsize, zs))}))
for t in tars: os.remove(t)
'@

function Clear-Output {
    # As in Invoke-Benchmarks.ps1: the last run's files go, the freed pages are written out and handed back before
    # the next measurement rather than during it.
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
            $measured = if ($contender.Ours) { Invoke-Ours $ModuleManifest $contender.Command $contender.Prelude } else { Invoke-Peer $contender.Command }
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
            Baseline = $contender.Baseline
        })
    }
}

function Ours([string] $Tool, [string] $Command, [string] $Prelude) { @{ Ours = $true; Tool = $Tool; Command = $Command; Prelude = $Prelude } }
function Peer([string] $Tool, [string] $Command, [switch] $Baseline) { @{ Ours = $false; Tool = $Tool; Command = $Command; Baseline = $Baseline.IsPresent } }

function Get-TarCommand([string[]] $Layers, [string] $Extract, [string] $Destination) {
    # One shell line: the destination made, then each layer extracted into it in manifest order.
    "mkdir '$Destination' && " + (($Layers | ForEach-Object { $Extract -f $_, $Destination }) -join ' && ')
}

function Get-Tree([string] $Path) {
    # Every entry as "path type size", sorted: what a reader of the tree would see (GNU find).
    & find $Path -mindepth 1 -printf '%P %y %s\n' | Sort-Object -CaseSensitive
}

try {
    Write-Host 'Preparing content: one 4-layer image as gzip and zstd OCI layouts, pushed to docker-registry with skopeo...'
    $generatorFile = Join-Path $work 'make-image.py'
    Set-Content -Path $generatorFile -Value $generator
    $image = & python3 $generatorFile $work | ConvertFrom-Json
    if ($LASTEXITCODE -ne 0) { throw 'The image generator failed.' }
    $gzipLayout = Join-Path $work 'gzip-layout'
    $zstdLayout = Join-Path $work 'zstd-layout'
    $copy = @('copy', '--quiet', '--preserve-digests', '--dest-tls-verify=false')
    Invoke-Skopeo @copy "oci:${gzipLayout}:gzip" "docker://$($registry.Host)/bench:gzip"
    Invoke-Skopeo @copy "oci:${zstdLayout}:zstd" "docker://$($registry.Host)/bench:zstd"
    $size = '{0:0} MiB in {1:N0} entries, 4 layers' -f ($image.uncompressed / 1MB), $image.entries
    Write-Host ("Image: $size; gzip -6 {0:0} MiB, zstd -3 {1:0} MiB" -f ($image.gzipBytes / 1MB), ($image.zstdBytes / 1MB))

    $rootfs = Join-Path $out 'rootfs'
    $prelude = "`$null = Get-OciTag '$($registry.Host)/bench' -ErrorAction Ignore"
    $rootless = if ((& id -u) -ne '0') { '--rootless ' }
    $tarGzip = Get-TarCommand $image.gzip "tar -xzf '{0}' -C '{1}'" $rootfs
    $tarZstd = Get-TarCommand $image.zstd "zstd -dcq '{0}' | tar -x -C '{1}'" $rootfs

    Write-Host 'Measuring gzip...'
    Measure-Work ("gzip ({0:0} MiB)" -f ($image.gzipBytes / 1MB)) @(
        (Ours 'Expand-OciImage from docker-registry' "Expand-OciImage '$($registry.Host)/bench:gzip' -Destination '$rootfs'" $prelude)
        (Ours 'Expand-OciImage -LayoutPath (no network)' "Expand-OciImage gzip -LayoutPath '$gzipLayout' -Destination '$rootfs'")
        (Peer 'umoci unpack (+ runtime config, mtree)' "umoci unpack $rootless--image '${gzipLayout}:gzip' '$out/bundle' >/dev/null")
        (Peer 'tar -xzf, layer after layer (no whiteouts)' $tarGzip -Baseline))

    Write-Host 'Measuring zstd...'
    Measure-Work ("zstd ({0:0} MiB)" -f ($image.zstdBytes / 1MB)) @(
        (Ours 'Expand-OciImage from docker-registry' "Expand-OciImage '$($registry.Host)/bench:zstd' -Destination '$rootfs'" $prelude)
        (Ours 'Expand-OciImage -LayoutPath (no network)' "Expand-OciImage zstd -LayoutPath '$zstdLayout' -Destination '$rootfs'")
        (Peer 'zstd -dc | tar -x, layer after layer (no whiteouts)' $tarZstd -Baseline))

    Write-Host 'Comparing the trees...'
    Clear-Output
    $null = & sh -c "umoci unpack $rootless--image '${gzipLayout}:gzip' '$out/bundle' && $(Get-TarCommand $image.gzip "tar -xzf '{0}' -C '{1}'" "$out/tar")"
    if ($LASTEXITCODE -ne 0) { throw 'umoci or tar failed while making the reference trees.' }
    $reference = Get-Tree (Join-Path $out 'bundle/rootfs')
    $tarExtra = @(Compare-Object $reference (Get-Tree (Join-Path $out 'tar')) -CaseSensitive | Where-Object SideIndicator -eq '=>').Count
    foreach ($twin in @(@('gzip', $gzipLayout), @('zstd', $zstdLayout))) {
        $tree = Join-Path $out "ours-$($twin[0])"
        & dotnet pwsh -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'; Import-Module '$ModuleManifest'; `$null = Expand-OciImage $($twin[0]) -LayoutPath '$($twin[1])' -Destination '$tree'"
        if ($LASTEXITCODE -ne 0) { throw "Expand-OciImage -LayoutPath $($twin[1]) failed." }
        $differences = @(Compare-Object $reference (Get-Tree $tree) -CaseSensitive)
        if ($differences) {
            Write-Warning "Expand-OciImage ($($twin[0])) and umoci unpack differ in $($differences.Count) entries (<= umoci only, => ours only):"
            $differences | Select-Object -First 10 | ForEach-Object { Write-Warning "  $($_.SideIndicator) $($_.InputObject)" }
        }
        else { Write-Host "Expand-OciImage ($($twin[0])) and umoci unpack made the same tree: $($reference.Count) entries (path, type, size)." }
    }
    Write-Host "tar leaves $tarExtra entries that umoci removes: the whiteout markers and what they hide."

    $results | Format-Table Work, Tool, Seconds, 'Peak memory MiB', How -AutoSize -Wrap | Out-String -Width 200 | Write-Host
    Write-Host "Image: $size. Expand-OciImage -LayoutPath and tar read the same page-cached layout files."
    foreach ($group in $results | Group-Object Work) {
        $baseline = $group.Group | Where-Object Baseline
        foreach ($row in $group.Group | Where-Object Tool -ne $baseline.Tool) {
            Write-Host ('{0}: {1} takes {2:0.00}x the time of {3}' -f $group.Name, $row.Tool, ($row.Seconds / $baseline.Seconds), $baseline.Tool)
        }
    }
}
finally {
    $registry.Stop()
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}
