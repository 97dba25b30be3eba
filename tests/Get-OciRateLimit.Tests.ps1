Describe 'Get-OciRateLimit' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:plain = Start-OciTestRegistry -SampleContent
        $script:id = { param($name, $class = 'GetOciRateLimitCommand') "$name,OciRegistry.Commands.$class" }
        $script:sent = { param($r) @(Get-OciTestRegistryRequest $r | ForEach-Object { "$($_.Method) $($_.Path) $($_.StatusCode)" }) }
    }

    AfterAll { $plain | Stop-OciTestRegistry }

    Context 'a registry that states a limit' {
        BeforeAll {
            $script:limited = Start-OciTestRegistry -SampleContent -RateLimit 3 -RateLimitWindow 3600
            $script:repo = "$($limited.Host)/samples/hello"
        }

        AfterAll { $limited | Stop-OciTestRegistry }

        It 'reads limit, remaining, window and source from one HEAD, which costs no pull' {
            Clear-OciTestRegistryRequest $limited
            $rate = Get-OciRateLimit "${repo}:1.0"
            $rate | Should -BeOfType ([OciRegistry.Output.OciRateLimit])
            $rate.Reference | Should -Be "${repo}:1.0"
            $rate.Registry | Should -Be $limited.Host
            $rate.Limit | Should -Be 3
            $rate.Remaining | Should -Be 3
            $rate.Window | Should -Be ([timespan]::FromHours(1))
            $rate.Source | Should -Be '127.0.0.1'
            $rate.HasLimit | Should -BeTrue
            "$rate" | Should -Be '3/3'
            & $sent $limited | Should -Be @('HEAD /v2/samples/hello/manifests/1.0 200')
            (Get-OciRateLimit $repo).Remaining | Should -Be 3 -Because 'a HEAD is not a pull'
        }

        It 'sees each GET of a manifest counted, and a 429 that names what is left and the wait' {
            $null = Get-OciManifest "${repo}:1.0"
            (Get-OciRateLimit $repo).Remaining | Should -Be 2
            $null = Get-OciManifest "${repo}:docker"
            $null = Get-OciManifest "${repo}:readme"
            (Get-OciRateLimit $repo).Remaining | Should -Be 0

            $err = $null
            Get-OciManifest "${repo}:1.0" -ErrorAction SilentlyContinue -ErrorVariable err
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be (& $id 'RegistryUnavailable' 'GetOciManifestCommand')
            $err[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $err[0].Exception.Message | Should -Match 'HTTP 429'
            $err[0].Exception.Message | Should -Match '0 of 3 left \(per 1 h\); it asks to wait (\d+ min|1 h)$'
            $err[0].ErrorDetails.RecommendedAction | Should -Match 'Get-OciRateLimit'
            # The wait is longer than a retry would wait, so the refused GET was not repeated.
            @(Get-OciTestRegistryRequest $limited -Method GET | Where-Object StatusCode -EQ 429).Count | Should -Be 1
        }

        It 'names the wait on a 429 from any cmdlet, here Test-OciManifest -Platform' {
            { Test-OciManifest "${repo}:1.0" -Platform linux/amd64 -ErrorAction Stop } |
                Should -Throw -ErrorId (& $id 'RegistryUnavailable' 'TestOciManifestCommand') -ExpectedMessage '*0 of 3 left*wait*'
        }
    }

    Context 'a registry that states none' {
        It 'returns an object with nulls, HasLimit $false, and says so in a warning' {
            $repo = "$($plain.Host)/samples/hello"
            Clear-OciTestRegistryRequest $plain
            $rate = Get-OciRateLimit $repo -WarningVariable said -WarningAction SilentlyContinue
            $rate.HasLimit | Should -BeFalse
            $rate.Limit | Should -BeNullOrEmpty
            $rate.Remaining | Should -BeNullOrEmpty
            $rate.Window | Should -BeNullOrEmpty
            $rate.Source | Should -BeNullOrEmpty
            "$rate" | Should -Be 'no limit stated'
            @($said).Count | Should -Be 1
            "$($said[0])" | Should -BeLike "*states no rate limit*ratelimit-limit*"
            & $sent $plain | Should -Be @('HEAD /v2/samples/hello/manifests/latest 200')
        }

        It 'asks with GET when HEAD is refused' {
            New-OciTestRegistryFault Fail -StatusCode 405 -Method HEAD -Path '*/manifests/*' | Add-OciTestRegistryFault $plain
            try {
                Clear-OciTestRegistryRequest $plain
                $null = Get-OciRateLimit "$($plain.Host)/samples/hello" -WarningAction SilentlyContinue
                & $sent $plain | Should -Be @('HEAD /v2/samples/hello/manifests/latest 405', 'GET /v2/samples/hello/manifests/latest 200')
            }
            finally { Clear-OciTestRegistryFault $plain }
        }
    }

    Context 'errors' {
        It 'is ManifestNotFound for a manifest that does not exist' {
            { Get-OciRateLimit "$($plain.Host)/samples/hello:nope" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'ManifestNotFound')
        }

        It 'is InvalidReference before any request' {
            { Get-OciRateLimit 'lower/UPPER' -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidReference')
        }

        It 'refuses a rate-limit window under a second' {
            { Start-OciTestRegistry -RateLimit 1 -RateLimitWindow ([timespan]::FromMilliseconds(10)) } |
                Should -Throw -ErrorId (& $id 'InvalidRateLimitWindow' 'StartOciTestRegistryCommand')
        }
    }

    Context 'the default view' {
        It 'fits 80 columns, with or without a limit' {
            $limited = Start-OciTestRegistry -SampleContent -RateLimit 100
            try {
                $rates = @(Get-OciRateLimit "$($limited.Host)/samples/hello"), @(Get-OciRateLimit "$($plain.Host)/samples/hello" -WarningAction SilentlyContinue)
                $text = $rates | Out-String -Width 80
                $text -split '\r?\n' | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
                $text | Should -Match '(?m)^\s+100\s+100 6 h\s+127\.0\.0\.1\s+'
                Set-StrictMode -Version Latest
                try { $rates | Format-Table -DisplayError | Out-String -Width 120 | Should -Not -Match '#ERR' }
                finally { Set-StrictMode -Off }
            }
            finally { $limited | Stop-OciTestRegistry }
        }
    }
}
