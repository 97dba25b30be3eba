# Resolve-OciDigest and Test-OciManifest against the reference registry (Debian's docker-registry 2.8), seeded with
# skopeo: an OCI index, a Docker manifest list (skopeo's conversion of that index) and a single manifest. Digests
# are checked against the sha256 of the bytes `skopeo inspect --raw` gets, and -Platform against the digest that
# those index bytes list.
BeforeDiscovery {
    $script:missing = @('docker-registry', 'skopeo') | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) }
}

Describe 'Resolve-OciDigest and Test-OciManifest against docker-registry' -Tag Interop -Skip:($missing.Count -gt 0) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest

        $script:source = Start-OciTestRegistry -SampleContent
        $script:reference = Start-DockerRegistry
        $src = "$($source.Host)/samples/hello"
        $script:dst = $reference.Host
        $copy = @('copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false')
        Invoke-Skopeo @copy --all --preserve-digests "docker://${src}:1.0" "docker://$dst/query/hello:oci"
        Invoke-Skopeo @copy --all --format v2s2 "docker://${src}:1.0" "docker://$dst/query/hello:list"
        Invoke-Skopeo @copy --preserve-digests "docker://${src}:docker" "docker://$dst/query/hello:single"

        # The exact bytes the reference registry serves, as skopeo reads them, and their sha256.
        $script:raw = {
            param([string] $Tag, [string] $Digest)
            $name = if ($Digest) { "@$Digest" } else { ":$Tag" }
            $file = Join-Path $TestDrive ("$name.json" -replace '[@:]', '_')
            # skopeo's stdout through a PowerShell pipe would be decoded and re-joined: keep the bytes in a file.
            & /bin/sh -c "skopeo inspect --raw --tls-verify=false 'docker://$dst/query/hello$name' > '$file'"
            if ($LASTEXITCODE -ne 0) { throw "skopeo inspect --raw of $name failed" }
            [System.IO.File]::ReadAllBytes($file)
        }
    }

    AfterAll {
        if ($reference) { $reference.Stop() }
        $source | Stop-OciTestRegistry
    }

    It 'serves the three kinds of manifest it is meant to' {
        $types = foreach ($tag in 'oci', 'list', 'single') { ([Text.Encoding]::UTF8.GetString((& $raw $tag)) | ConvertFrom-Json).mediaType }
        $types | Should -Be @(
            'application/vnd.oci.image.index.v1+json'
            'application/vnd.docker.distribution.manifest.list.v2+json'
            'application/vnd.docker.distribution.manifest.v2+json')
    }

    It 'resolves <Tag> to the sha256 of the bytes skopeo reads, with its media type and size' -ForEach @(
        @{ Tag = 'oci' }, @{ Tag = 'list' }, @{ Tag = 'single' }
    ) {
        $bytes = & $raw $Tag
        $resolved = Resolve-OciDigest "$dst/query/hello:$Tag"
        $resolved.Digest | Should -Be (Get-Sha256Digest $bytes)
        $resolved.Size | Should -Be $bytes.Length
        $resolved.MediaType | Should -Be ([Text.Encoding]::UTF8.GetString($bytes) | ConvertFrom-Json).mediaType
        $resolved.PinnedReference | Should -Be "$dst/query/hello@$(Get-Sha256Digest $bytes)"
        Test-OciManifest $resolved.PinnedReference | Should -BeExactly $true
    }

    It 'resolves <Tag> -Platform <Platform> to the digest the index lists' -ForEach @(
        @{ Tag = 'oci'; Platform = 'linux/amd64'; Os = 'linux'; Architecture = 'amd64' }
        @{ Tag = 'oci'; Platform = 'linux/arm64'; Os = 'linux'; Architecture = 'arm64' }
        @{ Tag = 'list'; Platform = 'linux/amd64'; Os = 'linux'; Architecture = 'amd64' }
        @{ Tag = 'list'; Platform = 'linux/arm64'; Os = 'linux'; Architecture = 'arm64' }
    ) {
        $index = [Text.Encoding]::UTF8.GetString((& $raw $Tag)) | ConvertFrom-Json
        $entry = @($index.manifests | Where-Object { $_.platform.os -eq $Os -and $_.platform.architecture -eq $Architecture })
        $entry.Count | Should -Be 1
        $resolved = Resolve-OciDigest "$dst/query/hello:$Tag" -Platform $Platform
        $resolved.Digest | Should -Be $entry[0].digest
        $resolved.Size | Should -Be $entry[0].size
        $resolved.MediaType | Should -Be $entry[0].mediaType
        # And the entry is what the registry serves under that digest.
        Get-Sha256Digest (& $raw -Digest $resolved.Digest) | Should -Be $resolved.Digest
        Test-OciManifest $resolved.PinnedReference | Should -BeExactly $true
    }

    It 'resolves the single manifest with -Platform to its own digest' {
        $bytes = & $raw 'single'
        $config = Invoke-Skopeo inspect --config --tls-verify=false "docker://$dst/query/hello:single" | Out-String | ConvertFrom-Json
        (Resolve-OciDigest "$dst/query/hello:single" -Platform "$($config.os)/$($config.architecture)").Digest | Should -Be (Get-Sha256Digest $bytes)
    }

    It 'sends the reference registry HEAD for a tag that exists and one that does not' {
        Test-OciManifest "$dst/query/hello:oci" | Should -BeExactly $true
        Test-OciManifest "$dst/query/hello:nope" | Should -BeExactly $false
        Test-OciManifest "$dst/query/nothing:1.0" | Should -BeExactly $false
        $lines = Test-OciManifest "$dst/query/hello:oci" -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($lines.Message -join "`n") | Should -Match 'HEAD http://127\.0\.0\.1:\d+/v2/query/hello/manifests/oci -> 200'
        ($lines.Message -join "`n") | Should -Not -Match '(?m)^GET '
    }

    It 'finds no rate limit on the reference registry, and says so' {
        $rate = Get-OciRateLimit "$dst/query/hello:oci" -WarningVariable said -WarningAction SilentlyContinue
        $rate.HasLimit | Should -BeFalse
        @($said).Count | Should -Be 1
    }
}
