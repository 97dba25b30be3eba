# Images built entry by entry for the extraction tests (Fixtures/New-LayerImage.py), and the listing of an
# unpacked tree that two extractions are compared by.
Set-StrictMode -Version 3.0

function Get-Python {
    foreach ($name in 'python3', 'python') {
        $command = Get-Command $name -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if ($command) { return $command.Source }
    }
    throw 'New-LayerImage needs python3 (apt-get install -y python3).'
}

function New-LayerImage {
    <#
    .SYNOPSIS
        Writes an OCI layout at -Path (a new temporary folder if omitted) holding one image built from -Spec, the
        hashtable form of the JSON that Fixtures/New-LayerImage.py reads (see the top of that file). Returns the
        layout's path; with -PassThru, the builder's summary (Layout, Tag, Manifest, Config, Layers with Digest,
        DiffId, Size, MediaType).
    #>
    param([Parameter(Mandatory)] [System.Collections.IDictionary] $Spec, [string] $Path, [switch] $PassThru)
    if (-not $Path) { $Path = Join-Path ([IO.Path]::GetTempPath()) ('layer-image-' + [guid]::NewGuid().ToString('n')) }
    $specFile = Join-Path ([IO.Path]::GetTempPath()) ('layer-spec-' + [guid]::NewGuid().ToString('n') + '.json')
    # Without a BOM: Python's json module refuses one.
    [IO.File]::WriteAllText($specFile, ($Spec | ConvertTo-Json -Depth 12), [Text.UTF8Encoding]::new($false))
    $errors = Join-Path ([IO.Path]::GetTempPath()) ('layer-spec-' + [guid]::NewGuid().ToString('n') + '.err')
    try {
        $builder = Join-Path $PSScriptRoot 'Fixtures/New-LayerImage.py'
        $summary = & (Get-Python) $builder $specFile $Path 2>$errors
        if ($LASTEXITCODE -ne 0) { throw "New-LayerImage.py failed ($LASTEXITCODE): $(Get-Content -Raw $errors -ErrorAction Ignore)" }
    }
    finally { Remove-Item -LiteralPath $specFile, $errors -ErrorAction Ignore }
    if (-not $PassThru) { return (Resolve-Path -LiteralPath $Path).ProviderPath }
    $parsed = $summary | Out-String | ConvertFrom-Json
    [pscustomobject]@{
        Layout = $parsed.layout; Tag = $parsed.tag; Manifest = $parsed.manifest; Config = $parsed.config
        Layers = @($parsed.layers | ForEach-Object {
                [pscustomobject]@{ Digest = $_.digest; DiffId = $_.diffId; Size = $_.size; MediaType = $_.mediaType }
            })
    }
}

function Get-LayerImageBlob {
    <# The file of layer -Index (0 is the base) of the image a New-LayerImage layout holds. #>
    param([Parameter(Mandatory)] [string] $Layout, [int] $Index = 0)
    $imageIndex = Get-Content -Raw -LiteralPath (Join-Path $Layout 'index.json') | ConvertFrom-Json
    $manifestFile = Join-Path $Layout ('blobs/sha256/' + $imageIndex.manifests[0].digest.Substring(7))
    $manifest = Get-Content -Raw -LiteralPath $manifestFile | ConvertFrom-Json
    Join-Path $Layout ('blobs/sha256/' + $manifest.layers[$Index].digest.Substring(7))
}

function Get-TreeListing {
    <#
    .SYNOPSIS
        One line per entry under -Root (the root itself left out), sorted ordinally:
        "relative/path<TAB>type<TAB>mode<TAB>content", where type is find's letter (f d l c b p s), mode the
        permission bits in octal with setuid, setgid and sticky (4755, 1777), and content the SHA-256 of a
        file's bytes or a symbolic link's target as written. Links are listed, never followed.
    .PARAMETER DropSetId
        Clears setuid and setgid in the mode column (4755 -> 755), sticky kept: how an extraction that drops them
        by default is compared with one that keeps them.
    .PARAMETER WithLinkGroups
        Adds a column: for a file with more than one name in the tree, the ordinally first of those names
        ("-" otherwise), so hard links show as hard links.
    .PARAMETER WithTime
        Adds a column: the modification time in seconds since the epoch, as find prints it (with the fraction).
    #>
    param([Parameter(Mandatory)] [string] $Root, [switch] $DropSetId, [switch] $WithLinkGroups, [switch] $WithTime)
    $Root = (Resolve-Path -LiteralPath $Root).ProviderPath
    if (-not (Get-Command find -CommandType Application -ErrorAction Ignore) -or $IsWindows) {
        return Get-TreeListingDotNet $Root
    }
    # NUL-separated through a file: names with newlines, tabs or backslashes survive, and nothing is re-encoded.
    $out = Join-Path ([IO.Path]::GetTempPath()) ('tree-' + [guid]::NewGuid().ToString('n'))
    try {
        & find $Root -mindepth 1 -fprintf $out '%P\0%y\0%m\0%n\0%i\0%l\0%T@\0'
        if ($LASTEXITCODE -ne 0) { throw "find $Root failed ($LASTEXITCODE)" }
        $fields = [IO.File]::ReadAllText($out, [Text.UTF8Encoding]::new($false)).Split([char]0)
    }
    finally { Remove-Item -LiteralPath $out -ErrorAction Ignore }
    $entries = for ($i = 0; $i + 6 -lt $fields.Length; $i += 7) {
        [pscustomobject]@{
            Path = $fields[$i]; Type = $fields[$i + 1]; Mode = [Convert]::ToInt32($fields[$i + 2], 8)
            Links = [int]$fields[$i + 3]; Inode = $fields[$i + 4]; Target = $fields[$i + 5]; Time = $fields[$i + 6]
        }
    }
    $groups = @{}
    foreach ($entry in $entries) {
        if ($entry.Type -eq 'f' -and $entry.Links -gt 1) {
            $first = $groups[$entry.Inode]
            if ($null -eq $first -or [string]::CompareOrdinal($entry.Path, $first) -lt 0) { $groups[$entry.Inode] = $entry.Path }
        }
    }
    $lines = [string[]]@(foreach ($entry in $entries) {
            $mode = if ($DropSetId) { $entry.Mode -band (-bnot 0xC00) } else { $entry.Mode }
            $content = switch ($entry.Type) {
                'f' { Get-FileSha256 ($Root.TrimEnd('/') + '/' + $entry.Path) }
                'l' { $entry.Target }
                default { '-' }
            }
            $columns = @($entry.Path, $entry.Type, [Convert]::ToString($mode, 8), $content)
            if ($WithLinkGroups) { $columns += if ($groups.ContainsKey($entry.Inode) -and $entry.Type -eq 'f') { $groups[$entry.Inode] } else { '-' } }
            if ($WithTime) { $columns += $entry.Time }
            $columns -join "`t"
        })
    [Array]::Sort($lines, [StringComparer]::Ordinal)
    return $lines
}

function Get-FileSha256([string] $Path) {
    # .NET, not Get-FileHash: PowerShell reads a backslash in a name as a separator even with -LiteralPath on Linux.
    $stream = [IO.File]::OpenRead($Path)
    try { return [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($stream)).ToLowerInvariant() }
    finally { $stream.Dispose() }
}

function Get-TreeListingDotNet([string] $Root) {
    # Windows has no find and no Unix modes: type and content only, mode "-".
    $lines = [string[]]@(Get-ChildItem -LiteralPath $Root -Recurse -Force | ForEach-Object {
            $relative = [IO.Path]::GetRelativePath($Root, $_.FullName).Replace('\', '/')
            if ($_.LinkType -eq 'SymbolicLink') { "$relative`tl`t-`t$($_.LinkTarget)" }
            elseif ($_.PSIsContainer) { "$relative`td`t-`t-" }
            else { "$relative`tf`t-`t$(Get-FileSha256 $_.FullName)" }
        })
    [Array]::Sort($lines, [StringComparer]::Ordinal)
    return $lines
}

Export-ModuleMember -Function New-LayerImage, Get-LayerImageBlob, Get-TreeListing
