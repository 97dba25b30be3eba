# Warning headers (distribution spec "Warnings", RFC 7234 code 299) become PowerShell warnings, once per invocation.
Describe 'Registry Warning headers' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot 'FakeHttpServer.psm1') -Force
        Import-OciRegistryUnderTest
        $deprecated = '299 - "This repository is deprecated; use team/new."'
        $script:server = Start-FakeHttpServer -Routes @{
            '/v2/team/old/tags/list?n=1'        = @{ Body = '{"tags":["a"]}'; Headers = @{ Warning = $deprecated; Link = '</v2/team/old/tags/list?n=1&last=a>; rel="next"' } }
            '/v2/team/old/tags/list?n=1&last=a' = @{ Body = '{"tags":["b"]}'; Headers = @{ Warning = $deprecated; Link = '</v2/team/old/tags/list?n=1&last=b>; rel="next"' } }
            '/v2/team/old/tags/list?n=1&last=b' = @{ Body = '{"tags":["c"]}'; Headers = @{ Warning = @($deprecated, '299 - "Pulls are rate limited today."', '110 - "Response is stale"') } }
            '/v2/team/old/manifests/gone'      = @{ Status = 404; Body = '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"gone"}]}'; Headers = @{ Warning = '299 - "Tag gone was removed on purpose."' } }
            '/v2/team/long/tags/list'          = @{ Body = '{"tags":["x"]}'; Headers = @{ Warning = '299 - "' + ('x' * 3000) + '"' } }
        }
    }

    AfterAll { $server.Stop() }

    It 'shows each distinct warning once, however many pages repeat it' {
        $warnings = $null
        $tags = Get-OciTag "$($server.Host)/team/old" -PageSize 1 -WarningVariable warnings -WarningAction SilentlyContinue
        $tags.Tag | Should -Be @('a', 'b', 'c')
        @($warnings).Count | Should -Be 2
        $warnings[0].Message | Should -Be "$($server.Host): This repository is deprecated; use team/new."
        $warnings[1].Message | Should -Be "$($server.Host): Pulls are rate limited today."
    }

    It 'warns again in the next invocation' {
        $warnings = $null
        $null = Get-OciTag "$($server.Host)/team/old" -PageSize 1 -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings).Count | Should -Be 2
    }

    It 'shows the warning that came with an error response, next to the error' {
        $warnings = $null
        $err = $null
        Get-OciManifest "$($server.Host)/team/old:gone" -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'ManifestNotFound,OciRegistry.Commands.GetOciManifestCommand'
        $warnings[0].Message | Should -Match 'Tag gone was removed on purpose\.$'
    }

    It 'shortens a warning longer than a line or two' {
        $warnings = $null
        $null = Get-OciTag "$($server.Host)/team/long" -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings[0].Message.Length | Should -BeLessThan 1100
        $warnings[0].Message | Should -Match 'x…$'
    }
}
