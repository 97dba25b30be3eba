# The catalog against a scripted server (pages, hostile names); against the reference registry in Interop.
Describe 'Get-OciRepository' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot 'FakeHttpServer.psm1') -Force
        Import-OciRegistryUnderTest
        $script:id = { param($name) "$name,OciRegistry.Commands.GetOciRepositoryCommand" }
        $script:server = Start-FakeHttpServer -Routes @{
            '/v2/_catalog'         = @{ Body = '{"repositories":["alpha","team/beta"]}'; Headers = @{ Link = '</v2/_catalog?last=team%2Fbeta>; rel="next"' } }
            '/v2/_catalog?n=1'     = @{ Body = '{"repositories":["alpha"]}'; Headers = @{ Link = '</v2/_catalog?n=1&last=alpha>; rel="next"' } }
            '/v2/_catalog?n=1&last=alpha' = @{ Body = '{"repositories":["team/beta"]}'; Headers = @{ Link = '</v2/_catalog?n=1&last=team%2Fbeta>; rel="next"' } }
            '/v2/_catalog?n=1&last=team%2Fbeta' = @{ Body = '{"repositories":["zeta"]}' }
            '/v2/_catalog?last=team%2Fbeta' = @{ Body = '{"repositories":["zeta","../../etc","Upper"]}' }
        }
        $script:empty = Start-FakeHttpServer -Routes @{ '/v2/' = @{ Body = '{}' } }
    }

    AfterAll {
        $server.Stop()
        $empty.Stop()
    }

    It 'lists every repository across pages, as objects that know their reference' {
        $repositories = Get-OciRepository $server.Host -WarningAction SilentlyContinue
        $repositories.Repository | Should -Be @('alpha', 'team/beta', 'zeta')
        $repositories[0] | Should -BeOfType ([OciRegistry.Output.OciRepository])
        $repositories[1].Reference | Should -Be "$($server.Host)/team/beta"
    }

    It 'asks for -PageSize per page and follows the Link of each' {
        $before = $server.Requests.Count
        (Get-OciRepository $server.Host -PageSize 1).Repository | Should -Be @('alpha', 'team/beta', 'zeta')
        @($server.Requests)[$before..($server.Requests.Count - 1)] | Should -Be @(
            'GET /v2/_catalog?n=1', 'GET /v2/_catalog?n=1&last=alpha', 'GET /v2/_catalog?n=1&last=team%2Fbeta')
    }

    It 'skips names that are not repository names, with a warning for each' {
        $warnings = $null
        $null = Get-OciRepository $server.Host -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings).Count | Should -Be 2
        ($warnings -join "`n") | Should -Match "'\.\./\.\./etc'"
    }

    It 'takes the registry from the pipeline, by value or as Host' {
        ($server.Host | Get-OciRepository -WarningAction SilentlyContinue).Count | Should -Be 3
        ([pscustomobject]@{ Host = $server.Host } | Get-OciRepository -WarningAction SilentlyContinue).Count | Should -Be 3
    }

    It 'pipes repositories into Get-OciTag by their reference' {
        $err = $null
        Get-OciRepository $server.Host -WarningAction SilentlyContinue | Select-Object -First 1 | Get-OciTag -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].TargetObject | Should -Be "$($server.Host)/alpha"
    }

    It 'reports a registry without a catalog as CatalogUnavailable' {
        $err = $null
        Get-OciRepository $empty.Host -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be (& $id 'CatalogUnavailable')
        $err[0].CategoryInfo.Category | Should -Be 'NotImplemented'
    }

    It 'refuses what is not a registry name: <Text>' -ForEach @(
        @{ Text = 'not a host' }, @{ Text = 'ghcr.io/org' }, @{ Text = 'https://ghcr.io' }, @{ Text = 'plainword' }
    ) {
        { Get-OciRepository $Text -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'InvalidReference')
    }

    It 'reports a refused connection as RegistryConnectionFailed' {
        { Get-OciRepository "127.0.0.1:$(Get-FreeTcpPort)" -ErrorAction Stop } | Should -Throw -ErrorId (& $id 'RegistryConnectionFailed')
    }
}
