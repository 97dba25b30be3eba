# Our cmdlets against the reference registry (Debian's docker-registry 2.8), seeded with skopeo, and skopeo
# against our test registry. CI installs both tools, so CI never skips these.
BeforeDiscovery {
    $script:missing = @('docker-registry', 'skopeo', 'htpasswd') | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) }
    if ($missing) { Write-Warning "Interop tests skipped: $($missing -join ', ') not installed (apt-get install -y docker-registry skopeo apache2-utils)." }
}

Describe 'Interop with docker-registry and skopeo' -Tag Interop -Skip:($missing.Count -gt 0) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest

        function Get-SkopeoRaw([string] $Reference, [string[]] $Extra = @()) {
            $file = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
            $arguments = @('inspect', '--raw', '--tls-verify=false') + $Extra + @("docker://$Reference")
            & sh -c 'skopeo "$@" > "$0"' $file @arguments
            if ($LASTEXITCODE -ne 0) { throw "skopeo inspect --raw $Reference failed" }
            return [System.IO.File]::ReadAllBytes($file)
        }

        $script:source = Start-OciTestRegistry -SampleContent
        $script:reference = Start-DockerRegistry
        $script:secret = [pscredential]::new('tester', (ConvertTo-SecureString 'S3cret-pass' -AsPlainText -Force))
        $script:locked = Start-DockerRegistry -BasicAuth $secret
        $src = $source.Host
        $dst = $reference.Host
        $copy = @('copy', '--quiet', '--src-tls-verify=false', '--dest-tls-verify=false')

        # OCI multi-platform index, copied as it is.
        Invoke-Skopeo @copy --all "docker://$src/samples/hello:1.0" "docker://$dst/oci/hello:1.0"
        # Docker v2 schema 2, and an OCI image converted to it.
        Invoke-Skopeo @copy "docker://$src/samples/hello:docker" "docker://$dst/docker/hello:v2"
        Invoke-Skopeo @copy --format v2s2 --override-os linux --override-arch arm64 "docker://$src/samples/hello:1.0" "docker://$dst/docker/hello:converted"
        # An artifact with its own artifactType and a subject.
        Invoke-Skopeo @copy "docker://$src/samples/hello:readme" "docker://$dst/artifact/readme:1"

        # 250 tags: an OCI layout whose index names one image 250 times, served by a second test registry,
        # then synced tag by tag (skopeo lists the tags from our registry to do it).
        $layout = Join-Path $TestDrive 'many'
        Invoke-Skopeo @copy "docker://$src/samples/hello:docker" "oci:${layout}:t000"
        $index = Get-Content -Raw (Join-Path $layout 'index.json') | ConvertFrom-Json
        $entry = $index.manifests[0]
        $index.manifests = @(foreach ($i in 0..249) {
                $copyOfEntry = $entry | ConvertTo-Json -Depth 10 | ConvertFrom-Json
                $copyOfEntry.annotations.'org.opencontainers.image.ref.name' = 't{0:d3}' -f $i
                $copyOfEntry
            })
        $index | ConvertTo-Json -Depth 10 | Set-Content (Join-Path $layout 'index.json')
        $script:many = Start-OciTestRegistry -Path $layout -Repository 'many/tags'
        Invoke-Skopeo sync --src-tls-verify=false --dest-tls-verify=false --src docker --dest docker "$($many.Host)/many/tags" "$dst/many"

        # A registry behind htpasswd Basic auth.
        Invoke-Skopeo @copy --dest-creds 'tester:S3cret-pass' "docker://$src/samples/hello:docker" "docker://$($locked.Host)/private/hello:1"
    }

    AfterAll {
        foreach ($r in @($script:reference, $script:locked)) { if ($r) { $r.Stop() } }
        Stop-OciTestRegistry
    }

    Context 'Get-OciManifest returns exactly what skopeo reports' {
        It 'returns the OCI index byte for byte, with its platforms' {
            $raw = Get-SkopeoRaw "$($reference.Host)/oci/hello:1.0"
            $index = Get-OciManifest "$($reference.Host)/oci/hello:1.0"
            $index | Should -BeOfType ([OciRegistry.Output.OciIndex])
            $index.GetRawContent() | Should -Be $raw
            $index.Digest | Should -Be (Get-Sha256Digest $raw)
            $json = [System.Text.Encoding]::UTF8.GetString($raw) | ConvertFrom-Json
            $index.MediaType | Should -Be $json.mediaType
            $index.Manifests.Digest | Should -Be $json.manifests.digest
            $index.Platforms | Should -Be @($json.manifests | ForEach-Object { "$($_.platform.os)/$($_.platform.architecture)" + $(if ($_.platform.PSObject.Properties['variant']) { "/$($_.platform.variant)" }) })
        }

        It 'resolves -Platform to the manifest skopeo picks for that platform' {
            $raw = Get-SkopeoRaw "$($reference.Host)/oci/hello:1.0" @('--override-os', 'linux', '--override-arch', 'arm64')
            $single = Get-SkopeoRaw "$($reference.Host)/oci/hello@$((Get-OciManifest "$($reference.Host)/oci/hello:1.0").Manifests.Where({ $_.Platform.Architecture -eq 'arm64' })[0].Digest)"
            $manifest = Get-OciManifest "$($reference.Host)/oci/hello:1.0" -Platform linux/arm64
            $manifest | Should -BeOfType ([OciRegistry.Output.OciManifest])
            $manifest.GetRawContent() | Should -Be $single
            $manifest.Platform.ToString() | Should -Be 'linux/arm64/v8'
            # skopeo inspect --raw of an index shows the index itself, whatever the override.
            $raw | Should -Not -BeNullOrEmpty
        }

        It 'returns Docker v2 schema 2 manifests with their layers and config' -ForEach @(
            @{ Tag = 'v2' }, @{ Tag = 'converted' }
        ) {
            $raw = Get-SkopeoRaw "$($reference.Host)/docker/hello:$Tag"
            $manifest = Get-OciManifest "$($reference.Host)/docker/hello:$Tag"
            $manifest.GetRawContent() | Should -Be $raw
            $json = [System.Text.Encoding]::UTF8.GetString($raw) | ConvertFrom-Json
            $manifest.MediaType | Should -Be 'application/vnd.docker.distribution.manifest.v2+json'
            $manifest.Config.Digest | Should -Be $json.config.digest
            $manifest.Layers.Digest | Should -Be $json.layers.digest
            $manifest.Layers.Size | Should -Be $json.layers.size
        }

        It 'returns an artifact with its artifactType and subject' {
            $raw = Get-SkopeoRaw "$($reference.Host)/artifact/readme:1"
            $artifact = Get-OciManifest "$($reference.Host)/artifact/readme:1"
            $artifact.GetRawContent() | Should -Be $raw
            $json = [System.Text.Encoding]::UTF8.GetString($raw) | ConvertFrom-Json
            $artifact.ArtifactType | Should -Be $json.artifactType
            $artifact.ArtifactType | Should -Be 'application/vnd.ociregistry.sample.readme'
            $artifact.Subject.Digest | Should -Be $json.subject.digest
            $artifact.Layers[0].Title | Should -Be 'README.md'
        }

        It 'pulls by digest and verifies it' {
            $digest = (Get-OciManifest "$($reference.Host)/docker/hello:v2").Digest
            (Get-OciManifest "$($reference.Host)/docker/hello@$digest").Digest | Should -Be $digest
        }

        It 'emits the exact bytes with -Raw' {
            $raw = Get-SkopeoRaw "$($reference.Host)/oci/hello:1.0"
            Get-OciManifest "$($reference.Host)/oci/hello:1.0" -Raw | Should -BeExactly ([System.Text.Encoding]::UTF8.GetString($raw))
        }
    }

    Context 'Get-OciTag returns exactly what skopeo list-tags reports' {
        It 'lists all 250 tags' {
            $expected = (Invoke-Skopeo list-tags --tls-verify=false "docker://$($reference.Host)/many/tags" | Out-String | ConvertFrom-Json).Tags
            $expected.Count | Should -Be 250
            $tags = Get-OciTag "$($reference.Host)/many/tags"
            @($tags.Tag | Sort-Object) | Should -Be @($expected | Sort-Object)
            $tags[0].Reference | Should -Be "$($reference.Host)/many/tags:$($tags[0].Tag)"
        }

        It 'lists all 250 tags when asking for pages of 100' {
            @(Get-OciTag "$($reference.Host)/many/tags" -PageSize 100).Count | Should -Be 250
        }

        It 'lists the tags of our own test registry the way skopeo sees them, across pages' {
            $expected = (Invoke-Skopeo list-tags --tls-verify=false "docker://$($many.Host)/many/tags" | Out-String | ConvertFrom-Json).Tags
            @((Get-OciTag "$($many.Host)/many/tags" -PageSize 7).Tag) | Should -Be @($expected)
        }

        It 'pipes tags into Get-OciManifest' {
            $manifests = Get-OciTag "$($reference.Host)/docker/hello" | Get-OciManifest
            @($manifests).Count | Should -Be 2
        }
    }

    Context 'a registry behind htpasswd Basic auth' {
        It 'pulls with -Credential what skopeo pulls with --creds' {
            $raw = Get-SkopeoRaw "$($locked.Host)/private/hello:1" @('--creds', 'tester:S3cret-pass')
            $manifest = Get-OciManifest "$($locked.Host)/private/hello:1" -Credential $secret
            $manifest.GetRawContent() | Should -Be $raw
            @(Get-OciTag "$($locked.Host)/private/hello" -Credential $secret).Tag | Should -Be @('1')
        }

        It 'fails with RegistryAuthenticationFailed without credentials' {
            { Get-OciManifest "$($locked.Host)/private/hello:1" -ErrorAction Stop } |
                Should -Throw -ErrorId 'RegistryAuthenticationFailed,OciRegistry.Commands.GetOciManifestCommand'
        }

        It 'fails with RegistryAuthenticationFailed for a wrong password, and never prints it' {
            $wrong = [pscredential]::new('tester', (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
            $err = $null
            Get-OciManifest "$($locked.Host)/private/hello:1" -Credential $wrong -ErrorAction SilentlyContinue -ErrorVariable err -Verbose 4>&1 |
                Out-String | Should -Not -Match 'not-the-password'
            $err[0].FullyQualifiedErrorId | Should -Be 'RegistryAuthenticationFailed,OciRegistry.Commands.GetOciManifestCommand'
            $err[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
            ($err[0] | Out-String) | Should -Not -Match 'not-the-password'
        }

        It 'takes credentials from a Docker config.json' {
            $config = Join-Path $TestDrive 'docker'
            $null = New-Item -ItemType Directory -Force $config
            $auth = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('tester:S3cret-pass'))
            @{ auths = @{ $locked.Host = @{ auth = $auth } } } | ConvertTo-Json -Depth 5 | Set-Content (Join-Path $config 'config.json')
            $previous = $env:DOCKER_CONFIG
            try {
                $env:DOCKER_CONFIG = $config
                (Get-OciManifest "$($locked.Host)/private/hello:1").MediaType | Should -Be 'application/vnd.docker.distribution.manifest.v2+json'
            }
            finally { $env:DOCKER_CONFIG = $previous }
        }
    }

    Context 'downloads from docker-registry, checked with skopeo' {
        It 'writes a layout with Save-OciImage that skopeo copies out with the source digests' {
            $layout = Join-Path $TestDrive 'saved-layout'
            $saved = Save-OciImage "$($reference.Host)/oci/hello:1.0" -Path $layout
            $saved.Digest | Should -Be (Get-OciManifest "$($reference.Host)/oci/hello:1.0").Digest
            $copied = Join-Path $TestDrive 'copied-from-saved'
            Invoke-Skopeo copy --quiet --all --preserve-digests "oci:${layout}:1.0" "oci:${copied}:1.0"
            (Get-Content -Raw (Join-Path $copied 'index.json') | ConvertFrom-Json).manifests.digest | Should -Be $saved.Digest
            $names = { param($dir) Get-ChildItem (Join-Path $dir 'blobs/sha256') | ForEach-Object Name | Sort-Object }
            (& $names $copied) | Should -Be (& $names $layout)
        }

        It 'holds the same blobs as the layout skopeo writes for the same image' {
            $ours = Join-Path $TestDrive 'ours'
            $theirs = Join-Path $TestDrive 'theirs'
            $null = Save-OciImage "$($reference.Host)/docker/hello:v2" -Path $ours
            Invoke-Skopeo copy --quiet --preserve-digests --src-tls-verify=false "docker://$($reference.Host)/docker/hello:v2" "oci:${theirs}:v2"
            $names = { param($dir) Get-ChildItem (Join-Path $dir 'blobs/sha256') | ForEach-Object Name | Sort-Object }
            (& $names $ours) | Should -Be (& $names $theirs)
        }

        It 'saves every blob of an image from docker-registry verified, and finds them there on a second run' {
            $manifest = Get-OciManifest "$($reference.Host)/docker/hello:converted"
            $dest = Join-Path $TestDrive 'blobs-from-reference'
            $files = $manifest | Save-OciBlob -Destination $dest
            foreach ($file in $files) { Get-Sha256Digest ([IO.File]::ReadAllBytes($file.FullName)) | Should -Be $file.Digest }
            ($manifest | Save-OciBlob -Destination $dest).AlreadyPresent | Should -Not -Contain $false
        }
    }

    Context 'skopeo against Start-OciTestRegistry' {
        It 'copies an image out of a served layout digest for digest' {
            $sourceLayout = Join-Path $TestDrive 'source-layout'
            Invoke-Skopeo copy --quiet --all --src-tls-verify=false "docker://$($source.Host)/samples/hello:1.0" "oci:${sourceLayout}:1.0"
            $served = Start-OciTestRegistry -Path $sourceLayout -Repository 'served/hello'
            try {
                $copied = Join-Path $TestDrive 'copied-layout'
                Invoke-Skopeo copy --quiet --all --src-tls-verify=false "docker://$($served.Host)/served/hello:1.0" "oci:${copied}:1.0"
                $before = (Get-Content -Raw (Join-Path $sourceLayout 'index.json') | ConvertFrom-Json).manifests.digest
                $after = (Get-Content -Raw (Join-Path $copied 'index.json') | ConvertFrom-Json).manifests.digest
                $after | Should -Be $before
                $blobs = { param($dir) Get-ChildItem (Join-Path $dir 'blobs/sha256') | ForEach-Object Name | Sort-Object }
                (& $blobs $copied) | Should -Be (& $blobs $sourceLayout)
                foreach ($blob in Get-ChildItem (Join-Path $copied 'blobs/sha256')) {
                    (Get-FileHash $blob.FullName -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $blob.Name
                }
            }
            finally { $served | Stop-OciTestRegistry }
        }

        It 'lets skopeo inspect and list the sample content' {
            (Invoke-Skopeo list-tags --tls-verify=false "docker://$($source.Host)/samples/hello" | Out-String | ConvertFrom-Json).Tags |
                Should -Be @((Get-OciTag "$($source.Host)/samples/hello").Tag)
            $raw = Get-SkopeoRaw "$($source.Host)/samples/hello:1.0"
            (Get-OciManifest "$($source.Host)/samples/hello:1.0").GetRawContent() | Should -Be $raw
        }

        It 'answers a blob request for a manifest''s digest as docker-registry does: 404 BLOB_UNKNOWN' {
            foreach ($repository in @("$($reference.Host)/oci/hello", "$($source.Host)/samples/hello")) {
                $index = Get-OciManifest "${repository}:1.0"
                $hostName, $name = $repository -split '/', 2
                foreach ($digest in @($index.Digest, $index.Manifests[0].Digest)) {
                    $response = Invoke-WebRequest "http://$hostName/v2/$name/blobs/$digest" -SkipHttpErrorCheck
                    $response.StatusCode | Should -Be 404 -Because "$repository answers GET /blobs/ of the manifest $digest"
                    ($response.Content | ConvertFrom-Json).errors[0].code | Should -Be 'BLOB_UNKNOWN'
                }
            }
        }
    }
}
