# Copy-OciImage between two instances of the reference registry (Debian's docker-registry 2.8), checked with
# skopeo: every manifest and index arrives byte for byte, and a second copy only asks (HEAD) for what is there.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
    $script:missing = @('docker-registry', 'skopeo') | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) }
    if ($missing) { Write-Warning "Copy interop tests skipped: $($missing -join ', ') not installed (apt-get install -y docker-registry skopeo)." }
}

Describe 'Copy-OciImage between two docker-registry instances' -Tag Interop -Skip:($missing.Count -gt 0) {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:samples = Start-OciTestRegistry -SampleContent
        $script:a = Start-DockerRegistry
        $script:b = Start-DockerRegistry -AccessLog
        # A holds an OCI index of two platforms, a single Docker image, and a Docker manifest list (skopeo converts
        # the index to one on the way in, so it is skopeo's bytes, not ours, that must survive the copy).
        $null = Copy-OciImage "$($samples.Host)/samples/hello:1.0" "$($a.Host)/oci/hello:1.0"
        $null = Copy-OciImage "$($samples.Host)/samples/hello:docker" "$($a.Host)/single/hello:docker"
        Invoke-Skopeo copy --all --format v2s2 --src-tls-verify=false --dest-tls-verify=false "docker://$($samples.Host)/samples/hello:1.0" "docker://$($a.Host)/list/hello:1.0"

        function Get-Raw([string] $Reference) {
            $file = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
            & sh -c 'skopeo inspect --raw --tls-verify=false "$1" > "$0"' $file "docker://$Reference"
            if ($LASTEXITCODE -ne 0) { throw "skopeo inspect --raw $Reference failed" }
            [IO.File]::ReadAllBytes($file)
        }

        function Assert-SameBytes([string] $Repository, [string] $Tag) {
            $source = Get-Raw "$($a.Host)/${Repository}:$Tag"
            $copied = Get-Raw "$($b.Host)/${Repository}:$Tag"
            [Convert]::ToBase64String($copied) | Should -Be ([Convert]::ToBase64String($source))
            $document = [Text.Encoding]::UTF8.GetString($source) | ConvertFrom-Json
            foreach ($child in @($document.manifests)) {
                if (-not $child) { continue }
                [Convert]::ToBase64String((Get-Raw "$($b.Host)/$Repository@$($child.digest)")) |
                    Should -Be ([Convert]::ToBase64String((Get-Raw "$($a.Host)/$Repository@$($child.digest)")))
            }
        }
    }

    AfterAll {
        Stop-OciTestRegistry
        if ($a) { $a.Stop() }
        if ($b) { $b.Stop() }
    }

    It 'copies <Repository>:<Tag> byte for byte, children included' -ForEach @(
        @{ Repository = 'oci/hello'; Tag = '1.0'; MediaType = 'application/vnd.oci.image.index.v1+json' }
        @{ Repository = 'list/hello'; Tag = '1.0'; MediaType = 'application/vnd.docker.distribution.manifest.list.v2+json' }
        @{ Repository = 'single/hello'; Tag = 'docker'; MediaType = 'application/vnd.docker.distribution.manifest.v2+json' }
    ) {
        (Get-OciManifest "$($a.Host)/${Repository}:$Tag").MediaType | Should -Be $MediaType
        $result = Copy-OciImage "$($a.Host)/${Repository}:$Tag" "$($b.Host)/${Repository}:$Tag"
        $result.Digest | Should -Be (Get-OciManifest "$($a.Host)/${Repository}:$Tag").Digest
        Assert-SameBytes $Repository $Tag
    }

    It 'asks for blobs the destination has (HEAD) and uploads none of them again' {
        $null = Copy-OciImage "$($a.Host)/oci/hello:1.0" "$($b.Host)/again/hello:1.0"
        $before = @($b.AccessLog()).Count
        # skopeo's manifest list names other manifests, the same configs, and layers it compressed anew for v2s2.
        $result = Copy-OciImage "$($a.Host)/list/hello:1.0" "$($b.Host)/again/hello:list"
        $result.BlobsSkipped | Should -BeGreaterThan 0
        $log = @($b.AccessLog() | Select-Object -Skip $before)
        @($log | Where-Object { $_ -like 'HEAD */blobs/*' }).Count | Should -Be ($result.BlobsSkipped + $result.BlobsCopied)
        @($log | Where-Object { $_ -like 'POST */blobs/uploads/*' }).Count | Should -Be $result.BlobsCopied -Because 'only the blobs B lacks are uploaded'
        @($log | Where-Object { $_ -like 'PUT */manifests/*' }).Count | Should -BeGreaterThan 0
    }
}
