Describe 'Get-OciBlob' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:repo = "$($registry.Host)/samples/hello"
        $script:id = { param($name) "$name,OciRegistry.Commands.GetOciBlobCommand" }
        $script:image = Get-OciManifest "${repo}:1.0" -Platform linux/amd64
        $script:readme = Get-OciManifest "${repo}:readme"
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    It 'refuses an index entry, which is a manifest, before any request, with ManifestIsNotABlob' {
        $index = Get-OciManifest "${repo}:1.0"
        Clear-OciTestRegistryRequest $registry
        $err = $null
        $read = $index.Manifests[0] | Get-OciBlob -ErrorAction SilentlyContinue -ErrorVariable err
        $read | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be (& $id 'ManifestIsNotABlob')
        @(Get-OciTestRegistryRequest $registry -Path '*/blobs/*') | Should -BeNullOrEmpty
    }

    It 'refuses the Subject of a referrer, which is a manifest' {
        $err = $null
        $null = $readme.Subject | Get-OciBlob -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be (& $id 'ManifestIsNotABlob')
    }

    Context 'reading' {
        It 'reads an image config that ConvertFrom-Json understands' {
            $config = Get-OciManifest "${repo}:1.0" -Platform linux/amd64 | Get-OciBlob -Config | ConvertFrom-Json
            $config.architecture | Should -Be 'amd64'
            $config.os | Should -Be 'linux'
            $config.rootfs.type | Should -Be 'layers'
        }

        It 'reads a Docker image config too' {
            (Get-OciManifest "${repo}:docker" | Get-OciBlob -Config | ConvertFrom-Json).os | Should -Be 'linux'
        }

        It 'reads a layer by index as text' {
            $text = $readme | Get-OciBlob -Layer 0
            $text | Should -BeOfType ([string])
            $text | Should -Match '^# samples/hello'
        }

        It 'reads a descriptor piped by property name, as one byte array with -AsByteArray' {
            $layer = $readme.Layers[0]
            $bytes = $layer | Get-OciBlob -AsByteArray
            , $bytes | Should -BeOfType ([byte[]])
            $bytes.Length | Should -Be $layer.Size
            Get-Sha256Digest $bytes | Should -Be $layer.Digest
        }

        It 'takes -Reference and -Digest, or the digest in the reference' {
            $digest = $image.Config.Digest
            $a = Get-OciBlob -Reference $repo -Digest $digest
            $b = Get-OciBlob "$repo@$digest"
            $a | Should -BeExactly $b
            ($a | ConvertFrom-Json).os | Should -Be 'linux'
        }

        It 'drops a UTF-8 byte order mark from text' {
            $bytes = [byte[]](0xEF, 0xBB, 0xBF) + [Text.Encoding]::UTF8.GetBytes('{"hello":"world"}')
            $digest = $registry.AddBlob('edge/blobs', $bytes)
            $text = Get-OciBlob "$($registry.Host)/edge/blobs@$digest"
            $text | Should -BeExactly '{"hello":"world"}'
            ($text | ConvertFrom-Json).hello | Should -Be 'world'
        }

        It 'says with -Verbose what it read' {
            $lines = $image | Get-OciBlob -Config -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($lines.Message -join "`n") | Should -Match "Read $([regex]::Escape($image.Config.Digest)): .*verified"
        }
    }

    Context 'caps, verification and bad input' {
        It 'refuses a blob larger than -MaxSize as BlobTooLarge' {
            $err = $null
            $readme | Get-OciBlob -Layer 0 -MaxSize 10 -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'BlobTooLarge')
            $err[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        }

        It 'refuses a blob over the 4 MiB default' {
            $big = [byte[]]::new(4MB + 1)
            $digest = $registry.AddBlob('edge/blobs', $big)
            { Get-OciBlob "$($registry.Host)/edge/blobs@$digest" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'BlobTooLarge')
            (Get-OciBlob "$($registry.Host)/edge/blobs@$digest" -MaxSize 5MB -AsByteArray).Length | Should -Be $big.Length
        }

        It 'refuses content whose size is not the descriptor''s as BlobDigestMismatch' {
            { Get-OciBlob -Reference $repo -Digest $image.Config.Digest -Size 3 -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'BlobDigestMismatch')
        }

        It 'reports an unknown blob as BlobNotFound' {
            { Get-OciBlob -Reference $repo -Digest ('sha256:' + ('0' * 64)) -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'BlobNotFound')
        }

        It 'needs -Config or -Layer for a manifest' {
            { $image | Get-OciBlob -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'BlobNotSpecified')
            { $image | Get-OciBlob -Config -Layer 0 -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'BlobNotSpecified')
        }

        It 'reports a layer index past the end as LayerNotFound' {
            { $image | Get-OciBlob -Layer 7 -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'LayerNotFound')
        }

        It 'refuses a missing or malformed digest: <Text>' -ForEach @(
            @{ Text = 'samples/hello' }, @{ Text = 'samples/hello@sha256:12' }, @{ Text = 'UPPER/case@sha256:12' }
        ) {
            { Get-OciBlob "$($registry.Host)/$Text" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidReference')
        }
    }
}
