# The cmdlets live in OciRegistry.dll (a nested module); its dependencies load from ./dependencies through the
# module's assembly initializer. This script only keeps module-level state that the binary part cannot: the
# argument completers and their short-lived cache.
#
# Importing must stay cheap: nothing here touches the network or starts a runspace until someone presses Tab.
Set-StrictMode -Version 3.0

# How long a completer waits for a registry, and how long its answers are reused. Tab completion that blocks for
# longer than a moment is worse than none, and a tag list a minute old is still what the user wants to see.
$script:CompletionTimeout = [TimeSpan]::FromSeconds(3)
$script:CompletionLifetime = [TimeSpan]::FromSeconds(60)
$script:CompletionFailureLifetime = [TimeSpan]::FromSeconds(10)
$script:CompletionCache = @{}
$script:CompletionPool = $null

$script:CommonPlatforms = @(
    'linux/amd64', 'linux/arm64', 'linux/arm64/v8', 'linux/arm/v7', 'linux/arm/v6', 'linux/386',
    'linux/ppc64le', 'linux/s390x', 'linux/riscv64', 'windows/amd64', 'windows/arm64'
)

# Media types from the OCI image spec (media-types.md) and Docker's image manifest v2 schema 2.
$script:KnownMediaTypes = [ordered]@{
    'application/vnd.oci.image.manifest.v1+json'                   = 'OCI image manifest'
    'application/vnd.oci.image.index.v1+json'                      = 'OCI image index'
    'application/vnd.oci.image.config.v1+json'                     = 'OCI image configuration'
    'application/vnd.oci.image.layer.v1.tar'                       = 'OCI layer, uncompressed tar'
    'application/vnd.oci.image.layer.v1.tar+gzip'                  = 'OCI layer, gzip'
    'application/vnd.oci.image.layer.v1.tar+zstd'                  = 'OCI layer, zstd'
    'application/vnd.oci.empty.v1+json'                            = 'OCI empty descriptor ({})'
    'application/vnd.docker.distribution.manifest.v2+json'         = 'Docker image manifest v2 schema 2'
    'application/vnd.docker.distribution.manifest.list.v2+json'    = 'Docker manifest list'
    'application/vnd.docker.container.image.v1+json'               = 'Docker image configuration'
    'application/vnd.docker.image.rootfs.diff.tar.gzip'            = 'Docker layer, gzip'
    'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip'    = 'Docker foreign layer, gzip'
}

# Artifact types that referrers commonly carry: signatures, SBOMs, attestations, and the sample content's readme.
$script:KnownArtifactTypes = [ordered]@{
    'application/vnd.dev.cosign.artifact.sig.v1+json'  = 'cosign signature (OCI 1.1 referrers mode)'
    'application/vnd.dev.cosign.artifact.att.v1+json'  = 'cosign attestation (OCI 1.1 referrers mode)'
    'application/vnd.dev.sigstore.bundle.v0.3+json'    = 'Sigstore bundle (cosign 3 signatures and attestations)'
    'application/vnd.cncf.notary.signature'            = 'Notation (Notary Project) signature'
    'application/spdx+json'                            = 'SPDX SBOM, JSON'
    'application/vnd.cyclonedx+json'                   = 'CycloneDX SBOM, JSON'
    'application/vnd.cyclonedx+xml'                    = 'CycloneDX SBOM, XML'
    'application/vnd.in-toto+json'                     = 'in-toto attestation'
    'application/vnd.ociregistry.sample.readme'        = 'The readme artifact of Start-OciTestRegistry -SampleContent'
}

function Invoke-CompletionQuery {
    <#
    .SYNOPSIS
        Runs one of the module's cmdlets in a background runspace and returns its output, or nothing when it fails
        or outlasts $CompletionTimeout. Never throws.
    .DESCRIPTION
        The completer runs on the pipeline thread that is waiting for Tab; calling the cmdlet there could hang the
        prompt on a registry that accepts connections and never answers. A runspace pool (created on first use,
        holding only the cmdlets, so the module is not imported twice) lets the wait have a deadline.
    #>
    param([string] $Command, [hashtable] $Parameters)
    $shell = $null
    try {
        if ($null -eq $script:CompletionPool) {
            $state = [System.Management.Automation.Runspaces.InitialSessionState]::Create()
            foreach ($entry in @(
                    @('Get-OciManifest', [OciRegistry.Commands.GetOciManifestCommand]),
                    @('Get-OciTag', [OciRegistry.Commands.GetOciTagCommand]),
                    @('Get-OciRepository', [OciRegistry.Commands.GetOciRepositoryCommand]))) {
                $state.Commands.Add([System.Management.Automation.Runspaces.SessionStateCmdletEntry]::new($entry[0], $entry[1], $null))
            }
            $pool = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspacePool($state)
            $null = $pool.SetMaxRunspaces(2)
            $pool.Open()
            $script:CompletionPool = $pool
        }

        $shell = [System.Management.Automation.PowerShell]::Create()
        $shell.RunspacePool = $script:CompletionPool
        $null = $shell.AddCommand($Command).AddParameters($Parameters)
        $pending = $shell.BeginInvoke()
        if (-not $pending.AsyncWaitHandle.WaitOne($script:CompletionTimeout)) {
            # The cmdlets stop promptly when asked; if one does not, leave it to finish alone and hand out a new pool
            # next time rather than block the prompt.
            $stopping = $shell.BeginStop($null, $null)
            if (-not $stopping.AsyncWaitHandle.WaitOne(1000)) {
                $script:CompletionPool = $null
                $shell = $null
            }
            return
        }

        return $shell.EndInvoke($pending)
    }
    catch {
        return
    }
    finally {
        if ($null -ne $shell) { $shell.Dispose() }
    }
}

function Get-CompletionValue {
    <#
    .SYNOPSIS
        Returns the cached strings for $Key, or runs $Fetch (which returns strings, or $null on failure) and caches
        what it gives: successes for $CompletionLifetime, failures for $CompletionFailureLifetime. $Fetch gets
        $Argument as its only argument (no GetNewClosure: that would cut it off from this module's functions).
    #>
    param([string] $Key, [scriptblock] $Fetch, [object] $Argument)
    $now = [DateTime]::UtcNow
    foreach ($stale in @($script:CompletionCache.Keys | Where-Object { $script:CompletionCache[$_].Expires -le $now })) {
        $script:CompletionCache.Remove($stale)
    }

    $cached = $script:CompletionCache[$Key]
    if ($null -ne $cached) { return $cached.Values }

    $values = $null
    try { $values = @(& $Fetch $Argument | Where-Object { $_ -is [string] -and $_ }) } catch { $values = $null }
    $lifetime = if ($values) { $script:CompletionLifetime } else { $script:CompletionFailureLifetime }
    $script:CompletionCache[$Key] = [pscustomobject]@{ Expires = $now + $lifetime; Values = [string[]] @($values) }
    return [string[]] @($values)
}

function Get-ConnectionParameter {
    <# The connection switches the user already typed, so that the completer reaches the registry the same way. #>
    param([System.Collections.IDictionary] $Bound)
    $parameters = @{ ErrorAction = 'SilentlyContinue' }
    foreach ($name in 'AllowInsecure', 'SkipCertificateCheck') {
        if ($Bound.Contains($name) -and $Bound[$name]) { $parameters[$name] = [switch] $true }
    }
    if ($Bound.Contains('Credential') -and $Bound['Credential'] -is [pscredential]) { $parameters['Credential'] = $Bound['Credential'] }
    return $parameters
}

function Get-RepositoryTag {
    <# The tags of "registry/repository" as strings, cached; nothing when the registry cannot say. #>
    param([string] $Repository, [System.Collections.IDictionary] $Bound)
    $parameters = Get-ConnectionParameter $Bound
    $key = "tags|$Repository|$(@($parameters.Keys | Sort-Object) -join ',')"
    $parameters['Reference'] = $Repository
    return Get-CompletionValue $key {
        param($query)
        Invoke-CompletionQuery 'Get-OciTag' $query | ForEach-Object { $_.Tag }
    } $parameters
}

function Get-RegistryRepository {
    <# The repositories of a registry's catalog as strings, cached; nothing when it has no catalog or cannot say. #>
    param([string] $Registry, [System.Collections.IDictionary] $Bound)
    $parameters = Get-ConnectionParameter $Bound
    $key = "repositories|$Registry|$(@($parameters.Keys | Sort-Object) -join ',')"
    $parameters['Registry'] = $Registry
    return Get-CompletionValue $key {
        param($query)
        Invoke-CompletionQuery 'Get-OciRepository' $query | ForEach-Object { $_.Repository }
    } $parameters
}

function New-CompletionResult {
    <#
    .SYNOPSIS
        Completion results for the $Values that start with $Word (case-insensitively), keeping the quote the user
        opened and quoting values that would not survive as bare words.
    #>
    param([string] $Word, [string[]] $Values, [string] $Prefix = '', [hashtable] $ToolTips = @{})
    $quote = ''
    if ($Word -match "^['""]") { $quote = $Word.Substring(0, 1); $Word = $Word.Substring(1) }
    $Word = $Word.TrimEnd("'", '"')
    foreach ($value in $Values) {
        $text = $Prefix + $value
        if (-not $text.StartsWith($Word, [StringComparison]::OrdinalIgnoreCase)) { continue }
        $completion = if ($quote) { $quote + $text + $quote }
        elseif ($text -notmatch '^[\w.:/@+-]+$') { "'" + $text.Replace("'", "''") + "'" }
        else { $text }
        $tip = if ($ToolTips.ContainsKey($value)) { $ToolTips[$value] } else { $text }
        [System.Management.Automation.CompletionResult]::new($completion, $value, 'ParameterValue', $tip)
    }
}

# -Platform: the platforms of the index -Reference names, else the common ones.
Register-ArgumentCompleter -CommandName 'Get-OciManifest', 'Save-OciImage' -ParameterName 'Platform' -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    try {
        $platforms = $script:CommonPlatforms
        $reference = $fakeBoundParameters['Reference']
        if ($reference -is [string] -and $reference) {
            $parameters = Get-ConnectionParameter $fakeBoundParameters
            $key = "platforms|$reference|$(@($parameters.Keys | Sort-Object) -join ',')"
            $parameters['Reference'] = $reference
            $platforms = Get-CompletionValue $key {
                param($query)
                foreach ($document in Invoke-CompletionQuery 'Get-OciManifest' $query) {
                    # A single manifest has no platforms to offer; attestation entries are not pullable platforms.
                    if ($document.PSObject.Properties['Platforms']) {
                        $document.Platforms | Where-Object { $_ -ne 'unknown/unknown' }
                    }
                }
            } $parameters
        }
        New-CompletionResult $wordToComplete $platforms
    }
    catch {
        # A completer must never throw at the prompt.
    }
}

# -Reference: "registry/partial" completes to the repositories of the registry's catalog, and
# "registry/repository:partial" (not for Get-OciTag, which takes a repository) to the repository's tags. The first
# part counts as a registry only when the reference grammar says so (it has a dot or a port, or is localhost): "team/ap"
# is a Docker Hub repository, and Docker Hub offers no catalog to ask.
Register-ArgumentCompleter -CommandName 'Get-OciManifest', 'Save-OciImage', 'Get-OciTag', 'Get-OciReferrer' -ParameterName 'Reference' -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    try {
        $word = ([string] $wordToComplete).Trim("'", '"')
        if ($word -match '^(?<registry>localhost(:\d+)?|[^\s/@''"]*[.:][^\s/@''"]*)/(?<partial>[^\s@:''"]*)$') {
            $registry = $Matches['registry']
            $repositories = @(Get-RegistryRepository $registry $fakeBoundParameters | Sort-Object)
            New-CompletionResult $wordToComplete $repositories -Prefix "$registry/"
        }
        elseif ($commandName -ne 'Get-OciTag' -and $word -match '^(?<repository>[^\s@''"]*/[^\s@''"/:]+):(?<tag>[\w.-]*)$') {
            $repository = $Matches['repository']
            New-CompletionResult $wordToComplete (Get-RepositoryTag $repository $fakeBoundParameters) -Prefix "${repository}:"
        }
    }
    catch {
    }
}

# -Tag with -Registry and -Repository: that repository's tags.
Register-ArgumentCompleter -CommandName 'Get-OciManifest' -ParameterName 'Tag' -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    try {
        $registry = $fakeBoundParameters['Registry']
        $repository = $fakeBoundParameters['Repository']
        if ($registry -is [string] -and $registry -and $repository -is [string] -and $repository) {
            New-CompletionResult $wordToComplete (Get-RepositoryTag "$registry/$repository" $fakeBoundParameters)
        }
    }
    catch {
    }
}

function Get-KnownTypeCompletion([string] $WordToComplete, [System.Collections.IDictionary] $Known) {
    # Completes a media or artifact type from a table of type -> description (shown as the tooltip).
    try {
        $tips = @{}
        foreach ($pair in $Known.GetEnumerator()) { $tips[$pair.Key] = $pair.Value }
        New-CompletionResult $WordToComplete ([string[]] $Known.Keys) -ToolTips $tips
    }
    catch {
    }
}

# -ArtifactType of Get-OciReferrer: the artifact types signers and SBOM tools attach.
Register-ArgumentCompleter -CommandName 'Get-OciReferrer' -ParameterName 'ArtifactType' -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    Get-KnownTypeCompletion $wordToComplete $script:KnownArtifactTypes
}

# Media types.
Register-ArgumentCompleter -CommandName 'Save-OciBlob' -ParameterName 'MediaType' -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    Get-KnownTypeCompletion $wordToComplete $script:KnownMediaTypes
}

$ExecutionContext.SessionState.Module.OnRemove = {
    $pool = $script:CompletionPool
    $script:CompletionPool = $null
    if ($null -ne $pool) {
        try { $null = $pool.BeginClose($null, $null) } catch { }
    }
}
