<#
.SYNOPSIS
    The module's main job on built-in content: start a test registry with the sample images, then pull
    manifests, an index resolved to a platform, and tags from it, and show the typed objects.
#>
param([Parameter(Mandatory)] [string] $ModuleManifest)

$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest -Force

# Out-Host pads every table with blank lines; the demo should fit a couple of screens, so each result is formatted
# here and printed after one blank line, with the padding cut. Colored headers survive where the host shows them.
if ((Get-Variable PSStyle -ErrorAction Ignore) -and $Host.UI.SupportsVirtualTerminal) { $PSStyle.OutputRendering = 'Ansi' }
function Show {
    $text = ($input | Out-String).Trim("`r", "`n") -replace '[ \t]+(?=\r?\n)', '' -replace '(\r?\n){3,}', "`n`n"
    if ($text) { Write-Host "`n$text" }
}
$registry = Start-OciTestRegistry -SampleContent
try {
    $repo = "$($registry.Host)/samples/hello"
    # Objects go to the default views (OciRegistry.Format.ps1xml): short digests and human sizes that fit 80
    # columns. The properties behind them are full digests and byte counts; Format-List * shows them all.
    Write-Host "`n== Start-OciTestRegistry -SampleContent   (an in-process registry on loopback)" -ForegroundColor Cyan
    $registry | Show

    Write-Host "`n== Get-OciTag $repo | Format-Wide Tag -AutoSize" -ForegroundColor Cyan
    Get-OciTag $repo | Format-Wide Tag -AutoSize | Show

    Write-Host "`n== Get-OciManifest ${repo}:1.0   (a multi-platform index, and its entries)" -ForegroundColor Cyan
    $index = Get-OciManifest "${repo}:1.0"
    $index | Show
    $index.Manifests | Show

    Write-Host "`n== Get-OciManifest ${repo}:1.0 -Platform linux/arm64   (resolved, verified by digest; its layers)" -ForegroundColor Cyan
    $manifest = Get-OciManifest "${repo}:1.0" -Platform linux/arm64
    $manifest | Show
    $manifest.Layers | Show

    Write-Host "`n== Save-OciBlob: the manifest's config and layers, streamed, verified against their digests, named by title" -ForegroundColor Cyan
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) "oci-demo-$PID"
    $saved = $manifest | Save-OciBlob -Destination $folder -UseTitle
    $saved | Show
    $layer = $saved | Where-Object Name -like '*.tar'
    Write-Host "   The layer is a tar archive; its file says: " -NoNewline
    & tar -xOf $layer.FullName | Out-Host

    $again = $manifest | Save-OciBlob -Destination $folder -UseTitle
    Write-Host "   Saving again fetches nothing; the files on disk are re-hashed, not trusted by size: " -NoNewline
    Write-Host "$(@($again | Where-Object AlreadyPresent).Count) of $(@($again).Count) already present"
    Remove-Item -Recurse -Force $folder

    Write-Host "`n== An OCI artifact with a subject: Get-OciManifest ${repo}:readme" -ForegroundColor Cyan
    $readme = Get-OciManifest "${repo}:readme"
    $readme | Show
    $readme | Format-List ArtifactType, @{ n = 'Layer'; e = { $_.Layers[0].Title } }, @{ n = 'Subject'; e = { "$($_.Subject.Digest) (linux/amd64 of tag 1.0)" } } | Show

    Write-Host "`n== A Docker schema 2 image: Get-OciManifest ${repo}:docker, then -Raw for the exact bytes" -ForegroundColor Cyan
    Get-OciManifest "${repo}:docker" | Show
    $raw = Get-OciManifest "${repo}:docker" -Raw
    Write-Host "`n$($raw.Substring(0, [Math]::Min(100, $raw.Length)))$(if ($raw.Length -gt 100) { [char] 0x2026 })"

    Write-Host "`n== Behind the view, full values: `$manifest | Format-List Reference, Digest, TotalSize, Config   (or *)" -ForegroundColor Cyan
    $manifest | Format-List Reference, Digest, TotalSize, Config | Show

    Write-Host "`n== Tab completes platforms and tags from the registry (here through TabExpansion2)" -ForegroundColor Cyan
    foreach ($line in "Get-OciManifest ${repo}:1.0 -Platform ", "Get-OciManifest ${repo}:", 'Get-OciReferrer -ArtifactType application/vnd.cy') {
        $offered = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        Write-Host "   $line<Tab>" -NoNewline
        Write-Host "   $(@($offered | ForEach-Object { $_ -replace '^\S*/[^/:]+(?=:[^/:]*$)', '…' }) -join '  ')" -ForegroundColor DarkGray
    }

    Write-Host "`n== Bad input gets a clear error record" -ForegroundColor Cyan
    Get-OciManifest "${repo}:no-such-tag" -ErrorAction SilentlyContinue -ErrorVariable failure
    [pscustomobject]@{
        ErrorId  = $failure[0].FullyQualifiedErrorId
        Category = $failure[0].CategoryInfo.Category
        Message  = $failure[0].Exception.Message
    } | Format-List | Show

    # The same content behind a flaky network. The request log is what a test asserts on when it checks that a
    # script copes: here, one layer's requests.
    Write-Host "`n== Start-OciTestRegistry -SampleContent -Unreliable: every path fails once, redirects, cut downloads" -ForegroundColor Cyan
    $unreliable = Start-OciTestRegistry -SampleContent -Unreliable
    try {
        $unreliable.Faults | Show
        $layout = Join-Path ([System.IO.Path]::GetTempPath()) "oci-demo-layout-$PID"
        $image = Save-OciImage "$($unreliable.Host)/samples/hello:1.0" -Platform linux/arm64 -Path $layout
        Remove-Item -Recurse -Force $layout
        Write-Host "`n   Save-OciImage $($unreliable.Host)/samples/hello:1.0 -Platform linux/arm64 still succeeds: $($image.Blobs) blobs in $($image.Elapsed.TotalSeconds.ToString('0.0')) s"
        Write-Host "`n   It retried, followed the redirects and resumed the cut layer. The layer's requests, from the log:"
        Write-Host "   Get-OciTestRegistryRequest `$unreliable -Path '*/blobs/$($manifest.Layers[0].Digest.Substring(0, 19))*'"
        Get-OciTestRegistryRequest $unreliable -Path "*/blobs/$($manifest.Layers[0].Digest)" | Select-Object -First 8 | Show
    }
    finally {
        $unreliable | Stop-OciTestRegistry
    }
}
finally {
    $registry | Stop-OciTestRegistry
}
