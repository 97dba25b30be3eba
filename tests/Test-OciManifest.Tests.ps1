Describe 'Test-OciManifest' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:repo = "$($registry.Host)/samples/hello"
        $script:id = { param($name) "$name,OciRegistry.Commands.TestOciManifestCommand" }
        # Method and path of every request since the last clear, as 'HEAD /v2/…' lines.
        $script:sent = { param($r = $registry) @(Get-OciTestRegistryRequest $r | ForEach-Object { "$($_.Method) $($_.Path) $($_.StatusCode)" }) }
        $script:complete = {
            param([string] $Line)
            @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
        }
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    BeforeEach {
        Clear-OciTestRegistryFault $registry
        Clear-OciTestRegistryRequest $registry
    }

    Context 'one HEAD per question' {
        It 'is $true for a tag that exists, with one HEAD and nothing else' {
            $answer = Test-OciManifest "${repo}:1.0"
            $answer | Should -BeExactly $true
            $answer | Should -BeOfType ([bool])
            & $sent | Should -Be @('HEAD /v2/samples/hello/manifests/1.0 200')
        }

        It 'is $false for a tag that does not exist, with one HEAD and no error' {
            $err = $null
            Test-OciManifest "${repo}:nope" -ErrorVariable err | Should -BeExactly $false
            $err | Should -BeNullOrEmpty
            & $sent | Should -Be @('HEAD /v2/samples/hello/manifests/nope 404')
        }

        It 'is $false for a repository that does not exist (NAME_UNKNOWN)' {
            Test-OciManifest "$($registry.Host)/no/such:1.0" | Should -BeExactly $false
            & $sent | Should -Be @('HEAD /v2/no/such/manifests/1.0 404')
        }

        It 'checks a digest: <Case>' -ForEach @(
            @{ Case = 'present'; Known = $true }, @{ Case = 'absent'; Known = $false }
        ) {
            $digest = if ($Known) { (Get-OciManifest "${repo}:docker").Digest } else { 'sha256:' + ('0' * 64) }
            Clear-OciTestRegistryRequest $registry
            Test-OciManifest "$repo@$digest" | Should -BeExactly $Known
            & $sent | Should -Be @("HEAD /v2/samples/hello/manifests/$digest $(if ($Known) { 200 } else { 404 })")
        }

        It 'takes references by value and by property name, one answer each, in order' {
            @("${repo}:1.0", "${repo}:nope", "${repo}:latest") | Test-OciManifest | Should -Be @($true, $false, $true)
            $tags = @(Get-OciTag $repo)
            $answers = @($tags | Test-OciManifest)
            $answers.Count | Should -Be $tags.Count
            $answers | Should -Not -Contain $false
        }
    }

    Context 'a registry that refuses HEAD' {
        BeforeEach {
            New-OciTestRegistryFault Fail -StatusCode 405 -Method HEAD -Path '*/manifests/*' | Add-OciTestRegistryFault $registry
        }

        It 'asks with GET instead: $true for a tag that exists' {
            Test-OciManifest "${repo}:1.0" | Should -BeExactly $true
            & $sent | Should -Be @('HEAD /v2/samples/hello/manifests/1.0 405', 'GET /v2/samples/hello/manifests/1.0 200')
        }

        It 'asks with GET instead: $false for one that does not' {
            Test-OciManifest "${repo}:nope" | Should -BeExactly $false
            & $sent | Should -Be @('HEAD /v2/samples/hello/manifests/nope 405', 'GET /v2/samples/hello/manifests/nope 404')
        }
    }

    Context '-Platform' {
        It 'reads the index once, with GET: <Platform> is <Expected>' -ForEach @(
            @{ Platform = 'linux/arm64'; Expected = $true }
            @{ Platform = 'linux/amd64'; Expected = $true }
            @{ Platform = 'windows/amd64'; Expected = $false }
            @{ Platform = 'unknown/unknown'; Expected = $false }
        ) {
            Test-OciManifest "${repo}:1.0" -Platform $Platform | Should -BeExactly $Expected
            & $sent | Should -Be @('GET /v2/samples/hello/manifests/1.0 200')
        }

        It 'checks a single image against its config' {
            $amd64 = Get-OciManifest "${repo}:1.0" -Platform linux/amd64
            Test-OciManifest "$repo@$($amd64.Digest)" -Platform linux/amd64 | Should -BeExactly $true
            Test-OciManifest "$repo@$($amd64.Digest)" -Platform linux/arm64 | Should -BeExactly $false
        }

        It 'is $false for a tag that does not exist' {
            Test-OciManifest "${repo}:nope" -Platform linux/amd64 | Should -BeExactly $false
        }
    }

    Context 'what is an error, not $false' {
        It 'refuses a malformed reference before any request' {
            { Test-OciManifest 'lower/UPPER' -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidReference')
            & $sent | Should -BeNullOrEmpty
        }

        It 'refuses a malformed platform before any request' {
            { Test-OciManifest "${repo}:1.0" -Platform amd64 -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidPlatform')
            & $sent | Should -BeNullOrEmpty
        }

        It 'is RegistryAuthenticationFailed when credentials are wanted or refused' {
            $cred = [pscredential]::new('ci', (ConvertTo-SecureString 'pw' -AsPlainText -Force))
            $wrong = [pscredential]::new('ci', (ConvertTo-SecureString 'nope' -AsPlainText -Force))
            $locked = Start-OciTestRegistry -SampleContent -Credential $cred
            try {
                $env:DOCKER_CONFIG = Join-Path $TestDrive 'no-docker-config'
                { Test-OciManifest "$($locked.Host)/samples/hello:nope" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'RegistryAuthenticationFailed')
                { Test-OciManifest "$($locked.Host)/samples/hello:1.0" -Credential $wrong -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'RegistryAuthenticationFailed')
                Test-OciManifest "$($locked.Host)/samples/hello:1.0" -Credential $cred | Should -BeExactly $true
                Test-OciManifest "$($locked.Host)/samples/hello:nope" -Credential $cred | Should -BeExactly $false
            }
            finally {
                Remove-Item Env:DOCKER_CONFIG -ErrorAction Ignore
                $locked | Stop-OciTestRegistry
            }
        }

        It 'is RegistryConnectionFailed when nothing listens' {
            $port = Get-FreeTcpPort
            { Test-OciManifest "127.0.0.1:$port/samples/hello:1.0" -MaximumRetryCount 0 -ErrorAction Stop } |
                Should -Throw -ErrorId (& $id 'RegistryConnectionFailed')
        }

        It 'is RegistryUnavailable when the registry keeps failing' {
            New-OciTestRegistryFault Fail -StatusCode 503 | Add-OciTestRegistryFault $registry
            { Test-OciManifest "${repo}:1.0" -MaximumRetryCount 1 -RetryIntervalSec 0 -ErrorAction Stop } |
                Should -Throw -ErrorId (& $id 'RegistryUnavailable')
        }

        It 'carries on past a bad reference in a pipeline' {
            $answers = @("${repo}:1.0", 'lower/UPPER', "${repo}:nope" | Test-OciManifest -ErrorAction SilentlyContinue -ErrorVariable err)
            $answers | Should -Be @($true, $false)
            $err.Count | Should -Be 1
        }
    }

    Context 'Tab completion' {
        It 'completes -Platform from the index the reference names' {
            & $complete "Test-OciManifest ${repo}:1.0 -Platform " | Should -Be @('linux/amd64', 'linux/arm64/v8')
        }

        It 'completes the tags of -Reference' {
            & $complete "Test-OciManifest ${repo}:la" | Should -Be @("${repo}:latest")
        }
    }
}
