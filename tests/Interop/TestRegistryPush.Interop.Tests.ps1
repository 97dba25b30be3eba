# Real clients pushing into the in-process test registry: skopeo copy there and back, inspect and list-tags, and the
# module's own cmdlets through every auth mode after a push.
BeforeDiscovery {
    $hasSkopeo = [bool](Get-Command 'skopeo' -CommandType Application -ErrorAction Ignore)
    if (-not $hasSkopeo) { Write-Warning 'skopeo push interop tests skipped: skopeo not installed (apt-get install -y skopeo).' }
}

Describe 'Pushing to the test registry with real clients' -Tag 'Interop' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $hasSkopeo = Test-PeerTool 'skopeo'
        $password = ConvertTo-SecureString 'push-secret' -AsPlainText -Force
        $script:account = [pscredential]::new('pusher', $password)
        $script:source = Start-OciTestRegistry -SampleContent -ReadOnly
        $script:layout = Join-Path $TestDrive 'layout'
        if ($hasSkopeo) {
            # skopeo picks this machine's platform from the sample index: the layout holds that one manifest.
            $null = Invoke-Skopeo copy --src-tls-verify=false "docker://$($source.Host)/samples/hello:latest" "oci:$($layout):v1"
            $script:pushedDigest = (Get-Content -Raw (Join-Path $layout 'index.json') | ConvertFrom-Json).manifests[0].digest
        }
    }

    AfterAll { Stop-OciTestRegistry }

    It 'skopeo copy oci:… docker://… and back is byte-identical; skopeo inspect and list-tags read it' -Skip:(-not $hasSkopeo) {
        $registry = Start-OciTestRegistry
        try {
            $null = Invoke-Skopeo copy --dest-tls-verify=false "oci:$($layout):v1" "docker://$($registry.Host)/pushed/hello:v1"
            $null = Invoke-Skopeo copy --dest-tls-verify=false "oci:$($layout):v1" "docker://$($registry.Host)/pushed/hello:v2"
            $back = Join-Path $TestDrive 'back'
            $null = Invoke-Skopeo copy --src-tls-verify=false "docker://$($registry.Host)/pushed/hello:v1" "oci:$($back):v1"

            foreach ($blob in Get-ChildItem (Join-Path $layout 'blobs/sha256') -File) {
                $copy = Join-Path $back "blobs/sha256/$($blob.Name)"
                Test-Path $copy | Should -BeTrue
                (Get-FileHash $copy).Hash | Should -Be (Get-FileHash $blob.FullName).Hash
            }
            $inspect = Invoke-Skopeo inspect --tls-verify=false "docker://$($registry.Host)/pushed/hello:v1" | ConvertFrom-Json
            $inspect.Digest | Should -Be $pushedDigest
            (Invoke-Skopeo list-tags --tls-verify=false "docker://$($registry.Host)/pushed/hello" | ConvertFrom-Json).Tags | Should -Be @('v1', 'v2')
            @(Get-OciTestRegistryRequest $registry | Where-Object { $_.Method -in 'POST', 'PUT', 'PATCH' }).Count | Should -BeGreaterThan 0
        }
        finally { $registry | Stop-OciTestRegistry }
    }

    It 'a -ReadOnly registry refuses the push with 405' -Skip:(-not $hasSkopeo) {
        { Invoke-Skopeo copy --dest-tls-verify=false "oci:$($layout):v1" "docker://$($source.Host)/pushed/hello:v1" } | Should -Throw
        @(Get-OciTestRegistryRequest $source | Where-Object { $_.Method -eq 'POST' }).StatusCode | Should -Contain 405
    }

    It 'skopeo pushes with the account through <Mode>, and Get-OciManifest and Get-OciTag read it back' -Skip:(-not $hasSkopeo) -ForEach @(
        @{ Mode = 'Basic' }
        @{ Mode = 'Bearer' }
    ) {
        $registry = Start-OciTestRegistry -Authentication $Mode -Credential $account
        try {
            $null = Invoke-Skopeo copy --dest-tls-verify=false --dest-creds 'pusher:push-secret' "oci:$($layout):v1" "docker://$($registry.Host)/auth/hello:pushed"
            (Get-OciTag "$($registry.Host)/auth/hello" -Credential $account).Tag | Should -Be @('pushed')
            (Get-OciManifest "$($registry.Host)/auth/hello:pushed" -Credential $account).Digest | Should -Be $pushedDigest
            { Invoke-Skopeo copy --dest-tls-verify=false "oci:$($layout):v1" "docker://$($registry.Host)/auth/hello:anonymous" } | Should -Throw
        }
        finally { $registry | Stop-OciTestRegistry }
    }
}
