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
    # Objects go to the default views (OciRegistry.Format.ps1xml): short digests and human sizes that fit 80
    # columns. The properties behind them are full digests and byte counts; Format-List * shows them all.
    Write-Host "`n== Start-OciTestRegistry -SampleContent   (an in-process registry on loopback)" -ForegroundColor Cyan
    $registry | Out-Host

    Write-Host "`n== Get-OciTag $repo" -ForegroundColor Cyan
    Get-OciTag $repo | Out-Host

    Write-Host "`n== Get-OciManifest ${repo}:1.0   (a multi-platform index, and its entries)" -ForegroundColor Cyan
    $index = Get-OciManifest "${repo}:1.0"
    $index | Out-Host
    $index.Manifests | Out-Host

    Write-Host "`n== Get-OciManifest ${repo}:1.0 -Platform linux/arm64   (resolved and verified by digest, and its layers)" -ForegroundColor Cyan
    $manifest = Get-OciManifest "${repo}:1.0" -Platform linux/arm64
    $manifest | Out-Host
    $manifest.Layers | Out-Host

    Write-Host "`n== Save-OciBlob: the manifest's config and layers, streamed, verified against their digests, named by title" -ForegroundColor Cyan
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) "oci-demo-$PID"
    $saved = $manifest | Save-OciBlob -Destination $folder -UseTitle
    $saved | Out-Host
    $layer = $saved | Where-Object Name -like '*.tar'
    Write-Host "   The layer is a tar archive; its file says: " -NoNewline
    & tar -xOf $layer.FullName | Out-Host

    Write-Host "`n== Saving again fetches nothing: the files on disk are re-hashed, not trusted by size" -ForegroundColor Cyan
    $manifest | Save-OciBlob -Destination $folder -UseTitle | Out-Host
    Remove-Item -Recurse -Force $folder

    Write-Host "`n== The index entries pipe straight back in: `$index.Manifests | Get-OciManifest" -ForegroundColor Cyan
    $index.Manifests | Get-OciManifest | Out-Host

    Write-Host "`n== An OCI artifact with a subject: Get-OciManifest ${repo}:readme" -ForegroundColor Cyan
    $readme = Get-OciManifest "${repo}:readme"
    $readme | Out-Host
    $readme | Format-List ArtifactType, @{ n = 'Layer'; e = { $_.Layers[0].Title } } | Out-Host
    Write-Host "   Its subject, the manifest it annotates:"
    $readme.Subject | Out-Host

    Write-Host "`n== A Docker schema 2 image: Get-OciManifest ${repo}:docker, then -Raw for the exact bytes" -ForegroundColor Cyan
    Get-OciManifest "${repo}:docker" | Out-Host
    Get-OciManifest "${repo}:docker" -Raw | Out-Host

    Write-Host "`n== Behind the view, full values: `$manifest | Format-List Reference, Digest, TotalSize, Config   (or *)" -ForegroundColor Cyan
    $manifest | Format-List Reference, Digest, TotalSize, Config | Out-Host

    Write-Host "`n== Tab completes platforms and tags from the registry (here through TabExpansion2)" -ForegroundColor Cyan
    foreach ($line in "Get-OciManifest ${repo}:1.0 -Platform ", "Get-OciManifest ${repo}:") {
        Write-Host "   $line<Tab>"
        foreach ($offered in (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches) {
            Write-Host "      $($offered.CompletionText)"
        }
    }

    Write-Host "`n== Bad input gets a clear error record" -ForegroundColor Cyan
    Get-OciManifest "${repo}:no-such-tag" -ErrorAction SilentlyContinue -ErrorVariable failure
    [pscustomobject]@{
        ErrorId  = $failure[0].FullyQualifiedErrorId
        Category = $failure[0].CategoryInfo.Category
        Message  = $failure[0].Exception.Message
    } | Format-List | Out-Host
}
finally {
    $registry | Stop-OciTestRegistry
}
