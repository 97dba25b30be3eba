Describe 'Start-OciTestRegistry and Stop-OciTestRegistry' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
    }

    AfterAll { Stop-OciTestRegistry }

    It 'starts on 127.0.0.1 on a free port and answers /v2/' {
        $registry = Start-OciTestRegistry
        try {
            $registry | Should -BeOfType ([OciRegistry.Output.OciTestRegistry])
            $registry.Url.Host | Should -Be '127.0.0.1'
            $registry.Host | Should -Be "127.0.0.1:$($registry.Port)"
            $response = Invoke-WebRequest "$($registry.Url)v2/" -SkipHttpErrorCheck
            $response.StatusCode | Should -Be 200
            $response.Headers['Docker-Distribution-API-Version'] | Should -Be 'registry/2.0'
        }
        finally { $registry | Stop-OciTestRegistry }
    }

    It 'frees the port on stop, so the same port can be taken again' {
        $first = Start-OciTestRegistry
        $port = $first.Port
        $first | Stop-OciTestRegistry
        $first.IsRunning | Should -BeFalse
        $second = Start-OciTestRegistry -Port $port
        try { $second.Port | Should -Be $port } finally { $second.Stop() }
    }

    It 'runs several registries at once' {
        $a = Start-OciTestRegistry -SampleContent
        $b = Start-OciTestRegistry -SampleContent
        try {
            $a.Port | Should -Not -Be $b.Port
            (Get-OciManifest "$($a.Host)/samples/hello:1.0").Digest | Should -Be (Get-OciManifest "$($b.Host)/samples/hello:1.0").Digest
        }
        finally { $a, $b | Stop-OciTestRegistry }
    }

    It 'starts nothing with -WhatIf' {
        Start-OciTestRegistry -WhatIf | Should -BeNullOrEmpty
    }

    It 'stops every registry of the session when called bare, and nothing for an empty pipeline' {
        $a = Start-OciTestRegistry
        @() | Stop-OciTestRegistry
        $a.IsRunning | Should -BeTrue
        Stop-OciTestRegistry
        $a.IsRunning | Should -BeFalse
    }

    It 'serves an OCI layout folder, tags from org.opencontainers.image.ref.name' {
        $sample = Start-OciTestRegistry -SampleContent
        try {
            # Build a layout by hand from the sample registry's content: oci-layout, index.json and blobs.
            $layout = Join-Path $TestDrive 'hello-layout'
            $blobs = Join-Path $layout 'blobs/sha256'
            $null = New-Item -ItemType Directory -Force $blobs
            Set-Content (Join-Path $layout 'oci-layout') '{"imageLayoutVersion":"1.0.0"}'
            $manifest = Get-OciManifest "$($sample.Host)/samples/hello:docker"
            [IO.File]::WriteAllBytes((Join-Path $blobs $manifest.Digest.Substring(7)), $manifest.GetRawContent())
            foreach ($d in @($manifest.Config) + $manifest.Layers) {
                $bytes = (Invoke-WebRequest "$($sample.Url)v2/samples/hello/blobs/$($d.Digest)").Content
                [IO.File]::WriteAllBytes((Join-Path $blobs $d.Digest.Substring(7)), [byte[]] $bytes)
            }
            @{ schemaVersion = 2; manifests = @(@{ mediaType = $manifest.MediaType; digest = $manifest.Digest; size = $manifest.Size; annotations = @{ 'org.opencontainers.image.ref.name' = 'v1' } }) } |
                ConvertTo-Json -Depth 5 | Set-Content (Join-Path $layout 'index.json')

            $served = Start-OciTestRegistry -Path $layout
            try {
                $served.Repositories | Should -Be @('hello-layout')
                (Get-OciManifest "$($served.Host)/hello-layout:v1").Digest | Should -Be $manifest.Digest
            }
            finally { $served | Stop-OciTestRegistry }
        }
        finally { $sample | Stop-OciTestRegistry }
    }

    It 'refuses a folder that is not an OCI layout' {
        $empty = Join-Path $TestDrive 'not-a-layout'
        $null = New-Item -ItemType Directory -Force $empty
        { Start-OciTestRegistry -Path $empty -ErrorAction Stop } |
            Should -Throw -ErrorId 'LayoutUnreadable,OciRegistry.Commands.StartOciTestRegistryCommand'
    }
}
