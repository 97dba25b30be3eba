# Stored credentials as CI holds them (Docker credential helpers, credsStore, auths, podman's auth.json) against the
# reference registry behind htpasswd. Fake helpers are small shell scripts put first on PATH, so this runs where
# /bin/sh does; CI installs docker-registry, skopeo and htpasswd.
BeforeDiscovery {
    $script:missing = @('docker-registry', 'skopeo', 'htpasswd', 'sh') | Where-Object { -not (Get-Command $_ -CommandType Application -ErrorAction Ignore) }
    $script:skip = $missing.Count -gt 0 -or $IsWindows
    if ($IsWindows) { Write-Warning 'Stored-credential interop tests skipped: their fake credential helpers are /bin/sh scripts, which Windows cannot run.' }
    elseif ($missing) { Write-Warning "Stored-credential interop tests skipped: $($missing -join ', ') not installed (apt-get install -y docker-registry skopeo apache2-utils)." }
}

Describe 'Stored credentials against docker-registry behind htpasswd' -Tag Interop -Skip:$skip {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest

        $script:password = 'S3cret-pass-4-helpers'
        $script:secret = [pscredential]::new('tester', (ConvertTo-SecureString $password -AsPlainText -Force))
        $script:source = Start-OciTestRegistry -SampleContent
        $script:locked = Start-DockerRegistry -BasicAuth $secret
        Invoke-Skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false --dest-creds "tester:$password" `
            "docker://$($source.Host)/samples/hello:docker" "docker://$($locked.Host)/private/hello:1"
        $script:image = "$($locked.Host)/private/hello:1"

        $script:saved = @{}
        foreach ($name in 'PATH', 'DOCKER_CONFIG', 'REGISTRY_AUTH_FILE', 'XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME') {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        }
        $script:bin = Join-Path $TestDrive 'bin'
        $null = New-Item -ItemType Directory $bin
        $env:PATH = $bin + [IO.Path]::PathSeparator + $env:PATH
        # Keep this machine's own podman files out of the tests.
        $env:XDG_RUNTIME_DIR = Join-Path $TestDrive 'runtime'
        $env:XDG_CONFIG_HOME = Join-Path $TestDrive 'xdg'
        $env:REGISTRY_AUTH_FILE = $null

        function script:New-FakeHelper([string] $Name, [string] $Body) {
            $path = Join-Path $bin "docker-credential-$Name"
            $log = Join-Path $TestDrive "$Name.log"
            Set-Content -Path $path -Value "#!/bin/sh`nserver=`$(cat)`necho `"`$1 `$server`" >> '$log'`n$Body`n" -NoNewline
            & chmod +x $path
        }

        function script:Get-HelperLog([string] $Name) {
            $log = Join-Path $TestDrive "$Name.log"
            if (Test-Path $log) { return @(Get-Content $log) } else { return @() }
        }

        function script:Set-DockerConfig([hashtable] $Config) {
            $folder = Join-Path $TestDrive ('docker-' + [guid]::NewGuid().ToString('n'))
            $null = New-Item -ItemType Directory $folder
            $Config | ConvertTo-Json -Depth 5 | Set-Content (Join-Path $folder 'config.json')
            $env:DOCKER_CONFIG = $folder
        }

        function script:Invoke-Pull([hashtable] $Extra = @{}) {
            # Everything a pull writes on any stream, so tests can assert that no secret appears anywhere.
            $warnings = $null
            $errors = $null
            $all = Get-OciManifest $image @Extra -Verbose -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -ErrorVariable errors 4>&1
            return [pscustomobject]@{
                Manifest = @($all | Where-Object { $_ -is [OciRegistry.Output.OciManifestBase] })[0]
                Warnings = @($warnings | ForEach-Object Message)
                Errors   = @($errors)
                Text     = (($all | Out-String) + ($warnings | Out-String) + ($errors | Out-String) + ($errors | ForEach-Object { $_.Exception.ToString() } | Out-String))
            }
        }

        New-FakeHelper 'good' "printf '{`"ServerURL`":`"%s`",`"Username`":`"tester`",`"Secret`":`"$password`"}' `"`$server`""
        New-FakeHelper 'wrong' "printf '{`"ServerURL`":`"%s`",`"Username`":`"tester`",`"Secret`":`"not-it`"}' `"`$server`""
        New-FakeHelper 'empty' "echo 'credentials not found in native keychain'; exit 1"
        New-FakeHelper 'broken' "echo 'helper output with $password in it'; echo 'and on stderr $password' >&2; exit 2"
        New-FakeHelper 'hang' 'exec sleep 60'
    }

    AfterAll {
        # Not [Environment]::SetEnvironmentVariable: PowerShell passes $null to it as '', which leaves the variable set
        # (empty), and docker-registry reads any REGISTRY_AUTH_* variable as configuration.
        foreach ($entry in $saved.GetEnumerator()) {
            if ($null -eq $entry.Value) { Remove-Item "env:$($entry.Key)" -ErrorAction Ignore } else { Set-Item "env:$($entry.Key)" $entry.Value }
        }
        if ($locked) { $locked.Stop() }
        $source | Stop-OciTestRegistry
    }

    Context 'helpers that answer' {
        It 'pulls with the helper credHelpers names for the registry, passing the host on stdin' {
            Set-DockerConfig @{ credHelpers = @{ $locked.Host = 'good' } }
            $pull = Invoke-Pull
            $pull.Errors | Should -BeNullOrEmpty
            $pull.Manifest.MediaType | Should -Be 'application/vnd.docker.distribution.manifest.v2+json'
            Get-HelperLog 'good' | Select-Object -Last 1 | Should -Be "get $($locked.Host)"
            $pull.Text | Should -Match "credentials for $([regex]::Escape($locked.Host)) \(as tester, from docker-credential-good"
            $pull.Text | Should -Not -Match $password
        }

        It 'pulls with the credsStore helper' {
            Set-DockerConfig @{ credsStore = 'good' }
            (Invoke-Pull).Manifest | Should -Not -BeNullOrEmpty
        }

        It 'prefers credHelpers to credsStore, and credsStore to auths' {
            $wrongAuth = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('tester:not-it'))
            Set-DockerConfig @{ credHelpers = @{ $locked.Host = 'good' }; credsStore = 'wrong'; auths = @{ $locked.Host = @{ auth = $wrongAuth } } }
            (Invoke-Pull).Manifest | Should -Not -BeNullOrEmpty
            Set-DockerConfig @{ credsStore = 'good'; auths = @{ $locked.Host = @{ auth = $wrongAuth } } }
            (Invoke-Pull).Manifest | Should -Not -BeNullOrEmpty
        }

        It 'lets -Credential win without running any helper' {
            Set-DockerConfig @{ credsStore = 'wrong' }
            $before = (Get-HelperLog 'wrong').Count
            (Invoke-Pull @{ Credential = $secret }).Manifest | Should -Not -BeNullOrEmpty
            (Get-HelperLog 'wrong').Count | Should -Be $before
        }

        It 'gives the catalog and tag listings the same credentials' {
            Set-DockerConfig @{ credHelpers = @{ $locked.Host = 'good' } }
            (Get-OciRepository $locked.Host).Repository | Should -Be @('private/hello')
            (Get-OciRepository $locked.Host | Get-OciTag).Tag | Should -Be @('1')
        }
    }

    Context 'helpers that do not answer: a warning, then anonymous' {
        It 'warns about a helper missing from PATH and fails as anonymous' {
            Set-DockerConfig @{ credsStore = 'nowhere' }
            $pull = Invoke-Pull
            $pull.Warnings | Should -HaveCount 1
            $pull.Warnings[0] | Should -Match 'docker-credential-nowhere .*was not found on the PATH'
            $pull.Errors[0].FullyQualifiedErrorId | Should -Be 'RegistryAuthenticationFailed,OciRegistry.Commands.GetOciManifestCommand'
        }

        It 'warns about a helper that has no credentials for the registry' {
            Set-DockerConfig @{ credHelpers = @{ $locked.Host = 'empty' } }
            $pull = Invoke-Pull
            $pull.Warnings[0] | Should -Match "docker-credential-empty .*has no credentials for $([regex]::Escape($locked.Host))"
            $pull.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        }

        It 'warns about a failing helper without repeating anything it printed' {
            Set-DockerConfig @{ credsStore = 'broken' }
            $pull = Invoke-Pull
            $pull.Warnings[0] | Should -Match 'docker-credential-broken .*failed: it exited with code 2'
            $pull.Text | Should -Not -Match $password
        }

        It 'stops a helper that hangs after 10 s and warns' {
            Set-DockerConfig @{ credsStore = 'hang' }
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $pull = Invoke-Pull
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
            $pull.Warnings[0] | Should -Match 'docker-credential-hang .*did not answer within 10 s and was stopped'
            $pull.Errors[0].FullyQualifiedErrorId | Should -Be 'RegistryAuthenticationFailed,OciRegistry.Commands.GetOciManifestCommand'
        }

        It 'pulls with a helper that answers and leaves a background child on its output, and ends the child' {
            $pidFile = Join-Path $TestDrive 'leaves-child.pid'
            New-FakeHelper 'leaves-child' "sleep 60 & echo `$! > '$pidFile'`nprintf '{`"ServerURL`":`"%s`",`"Username`":`"tester`",`"Secret`":`"$password`"}' `"`$server`""
            Set-DockerConfig @{ credsStore = 'leaves-child' }
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $pull = Invoke-Pull
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 8
            $pull.Errors | Should -BeNullOrEmpty
            $pull.Warnings | Should -BeNullOrEmpty
            $pull.Manifest | Should -Not -BeNullOrEmpty
            $child = (Get-Content $pidFile).Trim()
            $deadline = [Diagnostics.Stopwatch]::StartNew()
            do { & kill -0 $child 2>$null; $alive = $LASTEXITCODE -eq 0 } while ($alive -and $deadline.Elapsed.TotalSeconds -lt 5 -and -not (Start-Sleep -Milliseconds 50))
            if ($alive) { & kill -9 $child }
            $alive | Should -BeFalse -Because 'nothing a helper starts may outlive the lookup'
        }

        It 'fails at once, naming the file, when config.json is a FIFO' {
            $folder = Join-Path $TestDrive 'fifo-config'
            $null = New-Item -ItemType Directory $folder
            & mkfifo (Join-Path $folder 'config.json')
            $env:DOCKER_CONFIG = $folder
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $pull = Invoke-Pull
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
            $pull.Manifest | Should -BeNullOrEmpty
            $pull.Errors[0].Exception.Message | Should -BeLike "*$(Join-Path $folder 'config.json')*FIFO*"
        }

        It 'warns once for a whole pipeline' {
            Set-DockerConfig @{ credsStore = 'nowhere' }
            $warnings = $null
            $image, $image, $image | Get-OciManifest -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
            @($warnings).Count | Should -Be 1
        }
    }

    Context 'containers auth.json when Docker''s config has nothing' {
        BeforeEach {
            $script:authJson = @{ auths = @{ $locked.Host = @{ auth = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("tester:$password")) } } } | ConvertTo-Json -Depth 5
        }

        AfterEach { $env:REGISTRY_AUTH_FILE = $null }

        It 'reads $REGISTRY_AUTH_FILE after a missing helper, with the warning' {
            Set-DockerConfig @{ credsStore = 'nowhere' }
            $env:REGISTRY_AUTH_FILE = Join-Path $TestDrive 'registry-auth.json'
            Set-Content $env:REGISTRY_AUTH_FILE $authJson
            $pull = Invoke-Pull
            $pull.Manifest | Should -Not -BeNullOrEmpty
            $pull.Warnings | Should -HaveCount 1
            $pull.Text | Should -Match 'from the containers auth file'
        }

        It 'reads $XDG_RUNTIME_DIR/containers/auth.json when there is no Docker config' {
            $env:DOCKER_CONFIG = Join-Path $TestDrive 'no-docker-config'
            $file = Join-Path $env:XDG_RUNTIME_DIR 'containers/auth.json'
            $null = New-Item -ItemType Directory -Force (Split-Path $file)
            Set-Content $file $authJson
            try { (Invoke-Pull).Manifest | Should -Not -BeNullOrEmpty }
            finally { Remove-Item $file }
        }

        It 'reads ~/.config/containers/auth.json (here $XDG_CONFIG_HOME) last' {
            $env:DOCKER_CONFIG = Join-Path $TestDrive 'no-docker-config'
            $file = Join-Path $env:XDG_CONFIG_HOME 'containers/auth.json'
            $null = New-Item -ItemType Directory -Force (Split-Path $file)
            Set-Content $file $authJson
            try { (Invoke-Pull).Manifest | Should -Not -BeNullOrEmpty }
            finally { Remove-Item $file }
        }
    }
}
