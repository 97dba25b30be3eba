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
}
