Describe 'Argument completers (OciRegistry.Completion)' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        Import-Module (Join-Path $PSScriptRoot 'FakeHttpServer.psm1') -Force
        Import-OciRegistryUnderTest
        $script:module = Get-Module OciRegistry
        $script:registry = Start-OciTestRegistry -SampleContent
        $script:repo = "$($registry.Host)/samples/hello"
        # The test registry has no catalog; a scripted one stands in for repository completion.
        $script:catalog = Start-FakeHttpServer -Routes @{
            '/v2/_catalog' = @{ Body = '{"repositories":["samples/hello","samples/other","team/app"]}' }
        }

        # The completion texts PowerShell offers with the cursor at the end of $Line.
        $script:complete = {
            param([string] $Line)
            @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
        }
        $script:clearCache = { [OciRegistry.Completion.CompletionCache]::Clear() }

        # An empty folder, so that PowerShell's fallback to file names (when a completer offers nothing) finds none.
        Push-Location $TestDrive
    }

    AfterAll {
        Pop-Location
        $registry | Stop-OciTestRegistry
        $catalog.Stop()
    }

    BeforeEach { & $clearCache }

    Context '-Platform' {
        It 'offers the platforms of the index -Reference names' {
            & $complete "Get-OciManifest ${repo}:1.0 -Platform " | Should -Be @('linux/amd64', 'linux/arm64/v8')
        }

        It 'filters them by what is typed, for Save-OciImage too' {
            & $complete "Save-OciImage ${repo}:1.0 -Path x -Platform linux/arm" | Should -Be @('linux/arm64/v8')
            & $complete "Get-OciManifest -Reference ${repo}:latest -Platform LINUX/AM" | Should -Be @('linux/amd64')
        }

        It 'offers common platforms when no reference is typed' {
            $offered = & $complete 'Get-OciManifest -Platform '
            $offered | Should -Contain 'linux/amd64'
            $offered | Should -Contain 'linux/arm64'
            $offered | Should -Contain 'linux/arm/v7'
            $offered | Should -Contain 'windows/amd64'
            & $complete 'Save-OciImage -Platform windows/' | Should -Be @('windows/amd64', 'windows/arm64')
        }

        It 'offers nothing for a single-platform manifest' {
            & $complete "Get-OciManifest ${repo}:docker -Platform " | Should -BeNullOrEmpty
        }

        It 'reuses the index it fetched for a while' {
            # A repository of its own, whose tag the test moves from an index to a single manifest.
            $index = Get-OciManifest "${repo}:1.0"
            $docker = Get-OciManifest "${repo}:docker"
            $null = $registry.AddManifest('edge/moving', $docker.GetRawContent(), $docker.MediaType)
            $null = $registry.AddManifest('edge/moving', $index.GetRawContent(), $index.MediaType, 'moving')
            $line = "Get-OciManifest $($registry.Host)/edge/moving:moving -Platform "

            & $complete $line | Should -Be @('linux/amd64', 'linux/arm64/v8')
            $registry.SetTag('edge/moving', 'moving', $docker.Digest)
            & $complete $line | Should -Be @('linux/amd64', 'linux/arm64/v8') -Because 'the answer is cached'
            & $clearCache
            & $complete $line | Should -BeNullOrEmpty -Because 'the tag now names a single manifest'
        }
    }

    Context '-Reference' {
        It 'completes registry/repository: to every tag' {
            & $complete "Get-OciManifest ${repo}:" | Should -Be @('1.0', 'docker', 'latest', 'readme' | ForEach-Object { "${repo}:$_" })
        }

        It 'completes a partial tag, for Save-OciImage and named -Reference too' {
            & $complete "Get-OciManifest ${repo}:l" | Should -Be @("${repo}:latest")
            & $complete "Save-OciImage ${repo}:do" | Should -Be @("${repo}:docker")
            & $complete "Save-OciImage -Path x -Reference ${repo}:r" | Should -Be @("${repo}:readme")
        }

        It 'keeps the quote the user opened' {
            & $complete "Get-OciManifest '${repo}:l" | Should -Be @("'${repo}:latest'")
            & $complete "Get-OciManifest `"${repo}:l" | Should -Be @("`"${repo}:latest`"")
        }

        It 'does not go to the network for a word without a registry, or with a digest: <Word>' -ForEach @(
            @{ Word = 'alpine' }, @{ Word = 'localhost:5000' }, @{ Word = 'team/ap' }, @{ Word = 'library/alpine/x' },
            @{ Word = 'reg.example/repo@sha256:ab' }
        ) {
            & $complete "Get-OciManifest $Word" | Should -BeNullOrEmpty
            [OciRegistry.Completion.CompletionCache]::Count | Should -Be 0
        }
    }

    Context '-Reference: repositories' {
        It 'completes registry/partial to the repositories of its catalog' {
            & $complete "Get-OciManifest $($catalog.Host)/sam" | Should -Be @("$($catalog.Host)/samples/hello", "$($catalog.Host)/samples/other")
            & $complete "Get-OciManifest $($catalog.Host)/samples/o" | Should -Be @("$($catalog.Host)/samples/other")
        }

        It 'offers every repository after registry/' {
            & $complete "Get-OciManifest $($catalog.Host)/" | Should -Be @('samples/hello', 'samples/other', 'team/app' | ForEach-Object { "$($catalog.Host)/$_" })
        }

        It 'works for <Line>' -ForEach @(
            @{ Line = 'Get-OciTag {0}/te' }, @{ Line = 'Save-OciImage -Path x -Reference {0}/te' }, @{ Line = 'Get-OciReferrer {0}/te' }
        ) {
            & $complete ($Line -f $catalog.Host) | Should -Be @("$($catalog.Host)/team/app")
        }

        It 'keeps the quote the user opened' {
            & $complete "Get-OciTag '$($catalog.Host)/te" | Should -Be @("'$($catalog.Host)/team/app'")
        }

        It 'asks the catalog once for a run of Tabs' {
            $before = $catalog.Requests.Count
            foreach ($partial in 's', 'sa', 'sam', 't') { $null = & $complete "Get-OciManifest $($catalog.Host)/$partial" }
            @($catalog.Requests)[$before..($catalog.Requests.Count - 1)] | Should -Be @('GET /v2/_catalog')
        }

        It 'offers nothing for a registry without a catalog, and remembers that briefly' {
            $bare = Start-FakeHttpServer -Routes @{ '/v2/' = @{ Body = '{}' } }
            try {
                $line = "Get-OciManifest $($bare.Host)/sam"
                & $complete $line | Should -BeNullOrEmpty
                $asked = @($bare.Requests).Count
                $asked | Should -BeGreaterThan 0
                & $complete $line | Should -BeNullOrEmpty
                @($bare.Requests).Count | Should -Be $asked
            }
            finally { $bare.Stop() }
        }

        It 'completes tags, not repositories, once a tag is started, except for Get-OciTag' {
            & $complete "Get-OciReferrer ${repo}:la" | Should -Be @("${repo}:latest")
            & $complete "Get-OciTag ${repo}:la" | Should -BeNullOrEmpty
        }
    }

    Context 'references written with variables' {
        It 'completes the tags of "$($r.Host)/repo:", keeping the expression as typed' {
            $r = $registry
            & $complete 'Get-OciManifest "$($r.Host)/samples/hello:' | Should -Be @('1.0', 'docker', 'latest', 'readme' | ForEach-Object { "`"`$(`$r.Host)/samples/hello:$_`"" })
            & $complete 'Save-OciImage -Path x "$($r.Host)/samples/hello:la' | Should -Be @('"$($r.Host)/samples/hello:latest"')
        }

        It 'completes with the cursor before the closing quote, as PSReadLine leaves it, replacing that quote' {
            $r = $registry
            $line = 'Get-OciManifest "$($r.Host)/samples/hello:la"'
            $completion = TabExpansion2 -inputScript $line -cursorColumn ($line.Length - 1)
            @($completion.CompletionMatches.CompletionText) | Should -Be @('"$($r.Host)/samples/hello:latest"')
            $completion.ReplacementIndex | Should -Be $line.IndexOf('"')
            $completion.ReplacementLength | Should -Be ($line.Length - $line.IndexOf('"'))
            $after = $line.Substring(0, $completion.ReplacementIndex) + $completion.CompletionMatches[0].CompletionText
            $after | Should -Be 'Get-OciManifest "$($r.Host)/samples/hello:latest"'
        }

        It 'leaves a string alone when the cursor is inside it, not at its end' {
            $r = $registry
            $line = 'Get-OciManifest "$($r.Host)/samples/hello:la"'
            (TabExpansion2 -inputScript $line -cursorColumn ($line.Length - 4)).CompletionMatches.CompletionText | Should -Not -Contain '"$($r.Host)/samples/hello:latest"'
        }

        It 'completes the tags of "$h/repo:" and of $h/repo: bare' {
            $h = $registry.Host
            & $complete '$h = $r.Host; Get-OciManifest "$h/samples/hello:l' | Should -Be @('"$h/samples/hello:latest"')
            & $complete 'Get-OciManifest $h/samples/hello:d' | Should -Be @('$h/samples/hello:docker')
            & $complete 'Get-OciManifest "${h}/samples/hello:r' | Should -Be @('"${h}/samples/hello:readme"')
        }

        It 'gives completions that parse back to the reference they name' {
            $r = $registry
            $offered = & $complete 'Get-OciManifest "$($r.Host)/samples/hello:'
            $offered | Should -HaveCount 4
            foreach ($completion in $offered) {
                $errors = $null
                $ast = [System.Management.Automation.Language.Parser]::ParseInput("Write-Output $completion", [ref] $null, [ref] $errors)
                $errors | Should -BeNullOrEmpty
                $ast.EndBlock.Statements[0].PipelineElements[0].CommandElements.Count | Should -Be 2
                (& ([scriptblock]::Create("Write-Output $completion"))) | Should -BeLike "$($registry.Host)/samples/hello:*"
            }
        }

        It 'escapes what a registry names, so that a hostile tag stays text inside the quotes' {
            $hostile = Start-FakeHttpServer -Routes @{
                '/v2/team/app/tags/list' = @{ Body = '{"name":"team/app","tags":["$(Set-Variable pwned 1 -Scope Global)x","a`\"q"]}' }
            }
            try {
                $c = $hostile
                $offered = & $complete 'Get-OciManifest "$($c.Host)/team/app:'
                $offered | Should -Be @('"$($c.Host)/team/app:`$(Set-Variable pwned 1 -Scope Global)x"', '"$($c.Host)/team/app:a```"q"')
                foreach ($completion in $offered) {
                    & ([scriptblock]::Create("Write-Output $completion")) | Should -BeLike "$($hostile.Host)/team/app:*"
                }
                & $complete "Get-OciManifest '$($hostile.Host)/team/app:a" | Should -Be @("'$($hostile.Host)/team/app:a``""q'")
                Get-Variable pwned -Scope Global -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            }
            finally { $hostile.Stop() }
        }

        It 'offers the real platforms after such a reference' {
            $r = $registry
            $h = $registry.Host
            & $complete 'Get-OciManifest "$($r.Host)/samples/hello:1.0" -Platform ' | Should -Be @('linux/amd64', 'linux/arm64/v8')
            & $complete 'Save-OciImage -Path x -Reference $h/samples/hello:latest -Platform linux/arm' | Should -Be @('linux/arm64/v8')
            & $complete 'Get-OciManifest "$($r.Host)/samples/hello:docker" -Platform ' | Should -BeNullOrEmpty
        }

        It 'offers no platforms, and runs nothing, after a reference it cannot evaluate safely: <Reference>' -ForEach @(
            @{ Reference = '"$(Get-Random)/samples/hello:1.0"' }
            @{ Reference = '"$($script:ran = 1; $r.Host)/samples/hello:1.0"' }
            @{ Reference = '"$($script:ran = 1)$($r.Host)/samples/hello:1.0"' }
            @{ Reference = '"$(Set-Variable ran 1 -Scope Script)$($r.Host)/samples/hello:1.0"' }
            @{ Reference = '"$($r.Host.ToString())/samples/hello:1.0"' }
            @{ Reference = '"$($o.Host)/samples/hello:1.0"' }
            @{ Reference = '"$($undefined)/samples/hello:1.0"' }
            @{ Reference = '"$($r.Host + "")/samples/hello:1.0"' }
        ) {
            $r = $registry
            # A script property runs code when read: it is not read.
            $o = [pscustomobject] @{} | Add-Member -PassThru -MemberType ScriptProperty -Name Host -Value { $script:ran = 1; $registry.Host }
            $script:ran = 0
            & $complete "Get-OciManifest $Reference -Platform " | Should -BeNullOrEmpty
            & $complete ('Get-OciManifest ' + $Reference.Substring(0, $Reference.Length - 4)) | Should -BeNullOrEmpty
            $script:ran | Should -Be 0
        }

        It 'offers the common platforms only without any reference, not after a pipe' {
            & $complete 'Get-OciManifest -Platform windows/' | Should -Be @('windows/amd64', 'windows/arm64')
            & $complete '$refs | Get-OciManifest -Platform windows/' | Should -BeNullOrEmpty
        }

        It 'completes -Tag after -Registry and -Repository given as variables' {
            $r = $registry
            & $complete 'Get-OciManifest -Registry $r.Host -Repository samples/hello -Tag la' | Should -Be @('latest')
            & $complete 'Get-OciManifest -Registry $(Get-Random) -Repository samples/hello -Tag la' | Should -BeNullOrEmpty
        }
    }

    Context 'the blob and repository cmdlets' {
        It 'completes repositories, not tags, for the -Reference of <Command>' -ForEach @(
            @{ Command = 'Save-OciBlob' }, @{ Command = 'Get-OciBlob' }, @{ Command = 'Get-OciTag' }
        ) {
            $c = $catalog
            & $complete "$Command $($catalog.Host)/samples/o" | Should -Be @("$($catalog.Host)/samples/other")
            & $complete "$Command -Reference `"`$(`$c.Host)/te" | Should -Be @('"$($c.Host)/team/app"')
            & $complete "$Command ${repo}:la" | Should -BeNullOrEmpty
        }

        It 'completes the -Registry of Get-OciRepository to the running test registries' {
            $port = ($registry.Host -split ':')[1]
            & $complete 'Get-OciRepository 127.0.0.1:' | Should -Contain $registry.Host
            & $complete "Get-OciRepository -Registry '127.0.0.1:$port" | Should -Be @("'$($registry.Host)'")
        }
    }

    Context 'TabExpansion2' {
        It 'is wrapped while the module is imported, and put back when it is removed' {
            $script = @"
`$before = `${function:TabExpansion2}
Import-Module '$env:OCIREGISTRY_MODULE'
`$wrapped = [object]::ReferenceEquals(`${function:TabExpansion2}, [OciRegistry.Completion.TabExpansionFallback]::Wrapper)
Remove-Module OciRegistry
"`$wrapped `$([object]::ReferenceEquals(`${function:TabExpansion2}, `$before))"
"@
            Invoke-ChildPwsh $script | Should -Be 'True True'
        }

        It 'leaves other completion alone' {
            @(& $complete '$registry.Ho') | Should -Be @('Host')
            & $complete "Get-OciManifest `"`$(`$registry.Host)/samples/hello:latest`" -Credential (Get-Cred" | Should -Contain 'Get-Credential'
        }
    }

    Context '-ArtifactType' {
        It 'offers signature, SBOM and attestation types for Get-OciReferrer' {
            $offered = & $complete 'Get-OciReferrer x -ArtifactType '
            foreach ($type in 'application/vnd.dev.cosign.artifact.sig.v1+json', 'application/vnd.cncf.notary.signature',
                'application/spdx+json', 'application/vnd.cyclonedx+json', 'application/vnd.in-toto+json',
                'application/vnd.ociregistry.sample.readme') {
                $offered | Should -Contain $type
            }
        }

        It 'filters by what is typed and explains each in its tooltip' {
            & $complete 'Get-OciReferrer x -ArtifactType application/vnd.cyc' | Should -Be @('application/vnd.cyclonedx+json', 'application/vnd.cyclonedx+xml')
            $match = (TabExpansion2 -inputScript 'Get-OciReferrer x -ArtifactType application/spdx' -cursorColumn 48).CompletionMatches
            @($match).Count | Should -Be 1
            $match[0].ToolTip | Should -Match 'SPDX'
        }

        It 'offers the sample readme type that Get-OciReferrer finds on the sample content' {
            & $complete 'Get-OciReferrer x -ArtifactType application/vnd.ociregistry' | Should -Be @('application/vnd.ociregistry.sample.readme')
            (Get-OciManifest "${repo}:readme").ArtifactType | Should -Be 'application/vnd.ociregistry.sample.readme'
        }
    }

    Context '-Tag' {
        It 'offers the tags of -Registry and -Repository' {
            & $complete "Get-OciManifest -Registry $($registry.Host) -Repository samples/hello -Tag " | Should -Be @('1.0', 'docker', 'latest', 'readme')
            & $complete "Get-OciManifest -Registry $($registry.Host) -Repository samples/hello -Tag la" | Should -Be @('latest')
        }

        It 'offers nothing until both are typed' {
            & $complete "Get-OciManifest -Registry $($registry.Host) -Tag " | Should -BeNullOrEmpty
        }
    }

    Context 'when the registry fails' {
        It 'offers nothing, and quickly, when nothing listens' {
            $port = Get-FreeTcpPort
            $elapsed = Measure-Command { $script:offered = & $complete "Get-OciManifest 127.0.0.1:$port/a/b:1.0 -Platform " }
            $offered | Should -BeNullOrEmpty
            $elapsed.TotalSeconds | Should -BeLessThan 6
        }

        It 'gives up on a registry that never answers, within the timeout' {
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start()   # accepts connections into the backlog and never responds
            $previous = [OciRegistry.Completion.CompletionCache]::Timeout
            [OciRegistry.Completion.CompletionCache]::Timeout = [TimeSpan]::FromSeconds(1)
            try {
                $port = ([System.Net.IPEndPoint] $listener.LocalEndpoint).Port
                $elapsed = Measure-Command { $script:offered = & $complete "Get-OciManifest 127.0.0.1:$port/a/b:" }
                $offered | Should -BeNullOrEmpty
                $elapsed.TotalSeconds | Should -BeLessThan 3.5
                # The failure is remembered briefly, so the next Tab does not wait again.
                (Measure-Command { & $complete "Get-OciManifest 127.0.0.1:$port/a/b:" }).TotalSeconds | Should -BeLessThan 0.5
            }
            finally {
                [OciRegistry.Completion.CompletionCache]::Timeout = $previous
                $listener.Stop()
            }
        }
    }

    Context 'the module' {
        It 'does no completion work at import' {
            # In a fresh process: this one's cache already holds what the tests above fetched.
            Invoke-ChildPwsh "Import-Module '$env:OCIREGISTRY_MODULE'; [OciRegistry.Completion.CompletionCache]::Count" | Should -Be 0
        }

        It 'imports under Set-StrictMode -Version Latest without errors' {
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript("Set-StrictMode -Version Latest; `$ErrorActionPreference = 'Stop'; Import-Module '$env:OCIREGISTRY_MODULE'; (Get-Module OciRegistry).Name")
                $shell.Invoke() | Should -Be 'OciRegistry'
                $shell.Streams.Error | Should -BeNullOrEmpty
            }
            finally { $shell.Dispose() }
        }
    }
}
