<#
.SYNOPSIS
    The module's main job on built-in content: start a test registry with the sample images, then pull
    manifests, an index resolved to a platform, and tags from it, and show the typed objects.
#>
param([Parameter(Mandatory)] [string] $ModuleManifest)

$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest -Force
$registry = Start-OciTestRegistry -SampleContent
try {
    $repo = "$($registry.Host)/samples/hello"
    Write-Host "`n== A test registry is listening at $($registry.Url) (repositories: $($registry.Repositories -join ', '))" -ForegroundColor Cyan

    Write-Host "`n== Get-OciTag $repo" -ForegroundColor Cyan
    Get-OciTag $repo | Format-Table Tag, Reference -AutoSize | Out-Host

    Write-Host "`n== Get-OciManifest ${repo}:1.0   (a multi-platform index)" -ForegroundColor Cyan
    $index = Get-OciManifest "${repo}:1.0"
    $index | Format-List Reference, MediaType, Digest, Size, Platforms | Out-Host
    $index.Manifests | Format-Table @{ n = 'Platform'; e = { $_.Platform } }, MediaType, Size, Digest -AutoSize | Out-Host

    Write-Host "`n== Get-OciManifest ${repo}:1.0 -Platform linux/arm64   (resolved and verified by digest)" -ForegroundColor Cyan
    $manifest = Get-OciManifest "${repo}:1.0" -Platform linux/arm64
    $manifest | Format-List Reference, MediaType, Platform, TotalSize, Config | Out-Host
    $manifest.Layers | Format-Table Title, MediaType, Size, Digest -AutoSize | Out-Host

    Write-Host "`n== Save-OciBlob: the manifest's config and layers, streamed, verified against their digests, named by title" -ForegroundColor Cyan
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) "oci-demo-$PID"
    $saved = $manifest | Save-OciBlob -Destination $folder -UseTitle
    $saved | Format-Table Name, Length, Digest, Attempts -AutoSize | Out-Host
    $layer = $saved | Where-Object Name -like '*.tar'
    Write-Host "   The layer is a tar archive; its file says:" -NoNewline
    & tar -xOf $layer.FullName | Out-Host

    Write-Host "`n== Saving again fetches nothing: the files on disk are re-hashed, not trusted by size" -ForegroundColor Cyan
    $manifest | Save-OciBlob -Destination $folder -UseTitle | Format-Table Name, AlreadyPresent -AutoSize | Out-Host
    Remove-Item -Recurse -Force $folder

    Write-Host "`n== The index entries pipe straight back in: `$index.Manifests | Get-OciManifest" -ForegroundColor Cyan
    $index.Manifests | Get-OciManifest | Format-Table Digest, MediaType, @{ n = 'Layers'; e = { $_.Layers.Count } }, TotalSize -AutoSize | Out-Host

    Write-Host "`n== An OCI artifact with a subject: Get-OciManifest ${repo}:readme" -ForegroundColor Cyan
    Get-OciManifest "${repo}:readme" | Format-List Reference, ArtifactType, Subject, Layers | Out-Host

    Write-Host "`n== A Docker schema 2 image: Get-OciManifest ${repo}:docker -Raw" -ForegroundColor Cyan
    Get-OciManifest "${repo}:docker" -Raw | Out-Host

    Write-Host "`n== Bad input gets a clear error record" -ForegroundColor Cyan
    Get-OciManifest "${repo}:no-such-tag" -ErrorAction SilentlyContinue -ErrorVariable failure
    "$($failure[0].FullyQualifiedErrorId): $($failure[0].Exception.Message)" | Out-Host
}
finally {
    $registry | Stop-OciTestRegistry
}
