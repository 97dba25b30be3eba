Describe 'Get-OciTag' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-OciRegistryUnderTest
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:repo = "$($registry.Host)/samples/hello"
    }

    AfterAll { $registry | Stop-OciTestRegistry }

    It 'lists every tag as an object that knows its reference' {
        $tags = Get-OciTag $repo
        $tags.Tag | Should -Be @($registry.GetTags('samples/hello'))
        $tags[0] | Should -BeOfType ([OciRegistry.Output.OciTag])
        $tags[0].Reference | Should -Be "${repo}:$($tags[0].Tag)"
    }

    It 'follows Link pagination page by page' {
        $lines = Get-OciTag $repo -PageSize 1 -Verbose 4>&1
        $tags = $lines | Where-Object { $_ -is [OciRegistry.Output.OciTag] }
        $requests = $lines | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'tags/list.* -> 200' }
        @($tags).Count | Should -Be @($registry.GetTags('samples/hello')).Count
        @($requests).Count | Should -Be @($tags).Count
    }

    It 'ignores a tag in the repository reference' {
        @(Get-OciTag "${repo}:1.0").Count | Should -Be @($registry.GetTags('samples/hello')).Count
    }

    It 'reports an unknown repository as RepositoryNotFound' {
        { Get-OciTag "$($registry.Host)/no/such" -ErrorAction Stop } |
            Should -Throw -ErrorId 'RepositoryNotFound,OciRegistry.Commands.GetOciTagCommand'
    }

    It 'refuses a malformed repository' {
        { Get-OciTag 'Not Valid' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidReference,OciRegistry.Commands.GetOciTagCommand'
    }

    Context 'filtering, sorting and -First over 300 tags' {
        BeforeAll {
            $script:many = "$($registry.Host)/tools/many"
            # The versions in version order, as they are generated; the names as they should end up: ordinal.
            $script:versions = @(
                foreach ($minor in 0..9) { foreach ($patch in 0..19) { "1.$minor.$patch" } }
                '1.10.0-rc.1', '1.10.0-rc.2', '1.10.0-rc.10', '1.10.0'
                foreach ($n in 1..40) { "2.0.0-beta.$n" }
                'v2.0.0-rc.1'
            )
            $names = @('latest', 'main', 'Stable', '2024-01-01', '2024-02-01'; foreach ($n in 1..50) { 'sha-{0:x6}' -f ($n * 40503) })
            [Array]::Sort($names, [StringComparer]::Ordinal)
            $script:names = $names

            # One manifest, 300 tags pointing at it: the test registry's API makes them in one call.
            $empty = [Text.Encoding]::UTF8.GetBytes('{}')
            $config = $registry.AddBlob('tools/many', $empty)
            $manifest = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"' + $config + '","size":2},"layers":[]}'
            $null = $registry.AddManifest('tools/many', [Text.Encoding]::UTF8.GetBytes($manifest), 'application/vnd.oci.image.manifest.v1+json', [string[]] ($versions + $names))
            # What the registry lists, in its order (ordinal), page after page.
            $script:listed = @($registry.GetTags('tools/many'))

            function script:Get-PageRequest { @(Get-OciTestRegistryRequest $registry -Path '/v2/tools/many/tags/list') }
        }

        BeforeEach { Clear-OciTestRegistryRequest $registry }

        It 'has 300 tags, listed over several pages' {
            $listed | Should -HaveCount 300
            @(Get-OciTag $many -PageSize 40).Tag | Should -Be $listed
            Get-PageRequest | Should -HaveCount 8
        }

        It '-Include keeps tags matching any of its wildcards, ignoring case' {
            $expected = @($listed | Where-Object { $_ -like '1.9.*' -or $_ -like '1.10.*' })
            @(Get-OciTag $many -PageSize 30 -Include '1.9.*', '1.10.*').Tag | Should -Be $expected
            @(Get-OciTag $many -PageSize 30 -Include '1.9.*', '1.10.*') | Should -HaveCount 24
            @(Get-OciTag $many -PageSize 30 -Include 'SHA-*').Tag | Should -Be @($names -like 'sha-*')
            @(Get-OciTag $many -Include 'stable').Tag | Should -Be 'Stable'
        }

        It '-Exclude drops tags matching any of its wildcards, ignoring case, after -Include' {
            @(Get-OciTag $many -PageSize 30 -Exclude 'SHA-*', '1.*', '2.*', 'stable').Tag | Should -Be @('2024-01-01', '2024-02-01', 'latest', 'main', 'v2.0.0-rc.1')
            @(Get-OciTag $many -PageSize 30 -Include '1.10.*' -Exclude '*-rc.*').Tag | Should -Be @('1.10.0')
        }

        It '-Match keeps tags matching a regular expression, ignoring case like -match' {
            @(Get-OciTag $many -PageSize 30 -Match '^2\.0\.0-beta\.\d$').Tag | Should -Be @(foreach ($n in 1..9) { "2.0.0-beta.$n" })
            @(Get-OciTag $many -Match '^STABLE$').Tag | Should -Be 'Stable'
            @(Get-OciTag $many -Include '1.1*' -Exclude '1.10.*' -Match '\.1[89]$').Tag | Should -Be @('1.1.18', '1.1.19')
        }

        It '-Sort Version puts versions in version order, then the other tags by name' {
            @(Get-OciTag $many -PageSize 30 -Sort Version).Tag | Should -Be @($versions + $names)
        }

        It '-Sort Version -Descending puts the newest first and keeps the other tags last' {
            $newestFirst = $versions.Clone()
            [Array]::Reverse($newestFirst)
            @(Get-OciTag $many -PageSize 30 -Sort Version -Descending).Tag | Should -Be @($newestFirst + $names)
        }

        It '-Sort Name sorts ordinally; -Descending reverses it, and alone means -Sort Name -Descending' {
            $byName = [string[]] ($versions + $names)
            [Array]::Sort($byName, [StringComparer]::Ordinal)
            @(Get-OciTag $many -PageSize 30 -Sort Name).Tag | Should -Be $byName
            [Array]::Reverse($byName)
            @(Get-OciTag $many -PageSize 30 -Sort Name -Descending).Tag | Should -Be $byName
            @(Get-OciTag $many -PageSize 30 -Descending).Tag | Should -Be $byName
        }

        It '-First applies after sorting: the newest version, the newest 1.x release' {
            @(Get-OciTag $many -PageSize 30 -Sort Version -Descending -First 1).Tag | Should -Be 'v2.0.0-rc.1'
            @(Get-OciTag $many -PageSize 30 -Match '^v?1\.\d+\.\d+$' -Sort Version -Descending -First 1).Tag | Should -Be '1.10.0'
            @(Get-OciTag $many -PageSize 30 -Include '1.*' -Sort Version -First 3).Tag | Should -Be @('1.0.0', '1.0.1', '1.0.2')
            @(Get-OciTag $many -Sort Version -First 1000) | Should -HaveCount 300
        }

        It '-First without -Sort stops requesting pages once it has its tags' {
            $tags = @(Get-OciTag $many -PageSize 25 -First 30)
            $tags.Tag | Should -Be $listed[0..29]
            Get-PageRequest | Should -HaveCount 2
        }

        It '-First with a filter reads only as many pages as it needs' {
            $wanted = @($listed -like '1.5.*')[0..2]
            $last = [Array]::IndexOf($listed, $wanted[-1])
            @(Get-OciTag $many -PageSize 25 -Include '1.5.*' -First 3).Tag | Should -Be $wanted
            Get-PageRequest | Should -HaveCount ([Math]::Floor($last / 25) + 1)
            [Math]::Floor($last / 25) + 1 | Should -BeLessThan 12 -Because 'the test should stop before the last page'
        }

        It 'sorting reads every page, even with -First' {
            $null = Get-OciTag $many -PageSize 25 -Sort Version -First 1
            Get-PageRequest | Should -HaveCount 12
        }

        It 'refuses an invalid <Parameter> before any request' -ForEach @(
            @{ Parameter = 'Match'; Value = '(unclosed' }
            @{ Parameter = 'Include'; Value = '[abc' }
            @{ Parameter = 'Exclude'; Value = '[abc' }
        ) {
            $splat = @{ $Parameter = $Value }
            { Get-OciTag $many @splat -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTagPattern,OciRegistry.Commands.GetOciTagCommand'
            { Get-OciTag $many @splat -ErrorAction Stop } | Should -Throw "*-$Parameter '$([WildcardPattern]::Escape($Value))'*"
            @(Get-OciTestRegistryRequest $registry) | Should -HaveCount 0
        }
    }
}
