# Publish-OciArtifact and Remove-OciManifest against the reference registry (Debian's docker-registry 2.8, which has
# no referrers API), read back with skopeo. CI installs both tools, so CI never skips these.
BeforeDiscovery {
    $script:missing = @('docker-registry', 'skopeo') | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) }
    if ($missing) { Write-Warning "Interop tests skipped: $($missing -join ', ') not installed (apt-get install -y docker-registry skopeo)." }
}

Describe 'Publish-OciArtifact to docker-registry, read with skopeo' -Tag Interop -Skip:($missing.Count -gt 0) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $ProgressPreference = 'SilentlyContinue'

        function Get-SkopeoRaw([string] $Reference) {
            $file = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
            & sh -c 'skopeo inspect --raw --tls-verify=false "docker://$1" > "$0"' $file $Reference
            if ($LASTEXITCODE -ne 0) { throw "skopeo inspect --raw $Reference failed" }
            return [System.IO.File]::ReadAllBytes($file)
        }

        $script:source = Start-OciTestRegistry -SampleContent
        $script:reference = Start-DockerRegistry
        $script:dst = $reference.Host
        # The subject: an image copied in by skopeo.
        Invoke-Skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$($source.Host)/samples/hello:docker" "docker://$dst/interop/app:1"
        $script:subject = Resolve-OciDigest "$dst/interop/app:1"

        $files = Join-Path $TestDrive 'files'
        $null = New-Item -ItemType Directory $files
        Set-Content -Path (Join-Path $files 'notes.txt') -Value 'release notes' -NoNewline
        Set-Content -Path (Join-Path $files 'sbom.json') -Value '{"spdxVersion":"SPDX-2.3"}' -NoNewline
        $big = [byte[]]::new(20MB)
        [System.Random]::new(11).NextBytes($big)
        [System.IO.File]::WriteAllBytes((Join-Path $files 'big.bin'), $big)
        $script:paths = @('notes.txt', 'sbom.json', 'big.bin') | ForEach-Object { Join-Path $files $_ }

        $script:published = Publish-OciArtifact "$dst/interop/app:sbom" -Path $paths -ArtifactType 'application/vnd.example.bundle' -Subject "$dst/interop/app:1"
        $script:raw = Get-SkopeoRaw "$dst/interop/app:sbom"
        $script:json = [System.Text.Encoding]::UTF8.GetString($raw) | ConvertFrom-Json
    }

    AfterAll {
        if ($script:reference) { $reference.Stop() }
        if ($script:source) { $source | Stop-OciTestRegistry }
    }

    It 'stores the exact bytes whose digest Publish-OciArtifact reported' {
        Get-Sha256Digest $raw | Should -Be $published.Digest
    }

    It 'shows skopeo the artifactType, the titles and the subject' {
        $json.mediaType | Should -Be 'application/vnd.oci.image.manifest.v1+json'
        $json.artifactType | Should -Be 'application/vnd.example.bundle'
        $json.config.mediaType | Should -Be 'application/vnd.oci.empty.v1+json'
        @($json.layers | ForEach-Object { $_.annotations.'org.opencontainers.image.title' }) | Should -Be @('notes.txt', 'sbom.json', 'big.bin')
        $json.subject.digest | Should -Be $subject.Digest
        $json.subject.mediaType | Should -Be $subject.MediaType
        $json.subject.size | Should -Be $subject.Size
    }

    It 'brings the files back byte for byte with Save-OciBlob -UseTitle' {
        $out = Join-Path $TestDrive 'back'
        $null = Get-OciManifest $published.Reference | Save-OciBlob -Destination $out -UseTitle
        foreach ($path in $paths) {
            $name = Split-Path $path -Leaf
            (Get-FileHash (Join-Path $out $name)).Hash | Should -Be (Get-FileHash $path).Hash -Because $name
        }
    }

    It 'lists the artifact as a referrer through the referrers tag, the registry having no referrers API' {
        $published.ReferrersTagUpdated | Should -BeTrue
        $tagIndex = [System.Text.Encoding]::UTF8.GetString((Get-SkopeoRaw "$dst/interop/app:$($subject.Digest -replace ':', '-')")) | ConvertFrom-Json
        @($tagIndex.manifests.digest) | Should -Contain $published.Digest
        (@(Get-OciReferrer "$dst/interop/app:1") | Where-Object Digest -EQ $published.Digest).ArtifactType | Should -Be 'application/vnd.example.bundle'
    }

    It 'removes the artifact by its tag, after which skopeo finds no manifest' {
        Set-Content -Path (Join-Path $TestDrive 'draft.txt') -Value 'draft'
        $draft = Publish-OciArtifact "$dst/interop/draft:1" -Path (Join-Path $TestDrive 'draft.txt')
        Remove-OciManifest "$dst/interop/draft:1" -Confirm:$false
        Test-OciManifest $draft.Reference | Should -BeFalse
        & sh -c 'skopeo inspect --raw --tls-verify=false "docker://$0" >/dev/null 2>&1' "$dst/interop/draft:1"
        $LASTEXITCODE | Should -Not -Be 0
    }
}
