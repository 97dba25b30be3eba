# The help that ships in out/<version>/en-US: every exported cmdlet documented, its syntax true to the code, every
# example runnable as written against a sample test registry, and the about topic present.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OciRegistryUnderTest
    $common = [System.Management.Automation.Cmdlet]::CommonParameters

    # Taken from the module, not from the pages: a cmdlet without a page must fail here, not be skipped.
    $cmdlets = foreach ($name in (Get-Module OciRegistry).ExportedCmdlets.Keys | Sort-Object) {
        @{
            Name       = $name
            Parameters = @((Get-Command $name).Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
        }
    }

    $examples = foreach ($cmdlet in $cmdlets) {
        $help = Get-Help $cmdlet.Name -Examples
        $list = if ($help.PSObject.Properties['examples'] -and $help.examples) { @($help.examples.example) } else { @() }
        $number = 0
        foreach ($example in $list) {
            $number++
            @{
                Cmdlet = $cmdlet.Name
                Number = $number
                Title  = ($example.title -replace '^[-\s]+|[-\s]+$', '' -replace '^Example \d+:\s*', '')
                Code   = [string] $example.code
            }
        }
    }

    $errorMapping = Join-Path $PSScriptRoot '../src/OciRegistry/Hosting/ErrorMapping.cs'
    # The literal ErrorIds: ("Id", ErrorCategory.…) and the ids NotFoundId returns; not the suffixes of
    # subject + "…" ids, whose subjects the cmdlets choose.
    $errorIds = @([regex]::Matches((Get-Content -Raw $errorMapping), '(?<!\+\s*)"([A-Z][A-Za-z]+)"\s*(?=,\s*ErrorCategory|;|\s:)') |
            ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique | ForEach-Object { @{ Id = $_ } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-OciRegistryUnderTest
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
    }

    It 'comes from the module''s help file' {
        $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo' -Because "en-US/$($command.HelpFile) should have an entry for $Name (write src/Help/en-US/$Name.md)"
    }

    It 'has a synopsis' {
        $synopsis = "$($help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        # Without a help entry PowerShell makes the synopsis from the syntax.
        $synopsis | Should -Not -Match "^$([regex]::Escape($Name))\s+\[*-"
    }

    It 'has a description' {
        $text = if ($help.PSObject.Properties['description'] -and $help.description) { ($help.description.Text -join ' ').Trim() } else { '' }
        $text | Should -Not -BeNullOrEmpty
    }

    It 'has at least three examples' {
        $count = if ($help.PSObject.Properties['examples'] -and $help.examples) { @($help.examples.example).Count } else { 0 }
        $count | Should -BeGreaterOrEqual 3
    }

    It 'describes -<_>' -ForEach $Parameters {
        $parameter = Get-Help $Name -Parameter $_ -ErrorAction SilentlyContinue
        $text = if ($parameter -and $parameter.PSObject.Properties['description'] -and $parameter.description) { ($parameter.description.Text -join ' ').Trim() } else { '' }
        $text | Should -Not -BeNullOrEmpty -Because "-$_ of $Name needs a description under '### -$_' in src/Help/en-US/$Name.md"
    }

    It 'shows one syntax line per parameter set, with the parameters of that set' {
        $fromHelp = @($help.syntax.syntaxItem | ForEach-Object { (@($_.parameter.name) | Sort-Object) -join ' ' } | Sort-Object)
        $fromCode = @($command.ParameterSets | ForEach-Object { (@($_.Parameters.Name | Where-Object { $_ -notin $common }) | Sort-Object) -join ' ' } | Sort-Object)
        $fromHelp | Should -Be $fromCode
    }

    It 'gives each parameter the type, position, mandatory flag and pipeline binding the code declares' {
        foreach ($item in $help.syntax.syntaxItem) {
            $names = @($item.parameter.name)
            $set = $command.ParameterSets | Where-Object { (@($_.Parameters.Name | Where-Object { $_ -notin $common }) | Sort-Object) -join ' ' -eq ((@($names) | Sort-Object) -join ' ') } | Select-Object -First 1
            foreach ($documented in $item.parameter) {
                $declared = $set.Parameters | Where-Object Name -EQ $documented.name
                $because = "-$($documented.name) in the parameter set $($set.Name)"
                $documented.required | Should -Be "$($declared.IsMandatory)".ToLowerInvariant() -Because $because
                $documented.position | Should -Be $(if ($declared.Position -ge 0) { "$($declared.Position)" } else { 'named' }) -Because $because
                $binding = @(if ($declared.ValueFromPipeline) { 'ByValue' }; if ($declared.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
                $documented.pipelineInput | Should -Be $(if ($binding) { "True ($($binding -join ', '))" } else { 'False' }) -Because $because
                $type = $declared.ParameterType
                if ([Nullable]::GetUnderlyingType($type)) { $type = [Nullable]::GetUnderlyingType($type) }
                $documented.type.name | Should -Be $type.FullName -Because $because
            }
        }
    }
}

Describe 'Help examples run as written' {
    BeforeAll {
        $ProgressPreference = 'SilentlyContinue'
    }

    It '<Cmdlet> example <Number>: <Title>' -ForEach $examples {
        # Each example gets its own sample registry (some stop every registry) and its own empty folder.
        $sample = Start-OciTestRegistry -SampleContent
        $folder = Join-Path $TestDrive "$Cmdlet-$Number"
        $null = New-Item -ItemType Directory -Path $folder
        Push-Location -LiteralPath $folder
        try {
            $block = [scriptblock]::Create("param(`$registry)`n$Code")
            $output = @()
            $thrown = $null
            try { $output = @(& $block $sample 2>&1 3>$null 4>$null 6>$null) }
            catch { $thrown = "$($_.FullyQualifiedErrorId): $_" }
            $thrown | Should -BeNullOrEmpty -Because 'an example should not throw'
            $written = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" })
            $written | Should -BeNullOrEmpty -Because 'an example should write no error'
            # Formatting runs too, as it would at a prompt.
            $null = $output | Out-String
        }
        finally {
            Pop-Location
            $sample | Stop-OciTestRegistry
        }
    }
}

Describe 'about_OciRegistry' {
    BeforeAll {
        $about = Get-Help about_OciRegistry | Out-String
    }

    It 'is found by Get-Help' {
        $about | Should -Match 'about_OciRegistry'
        $about | Should -Match 'SHORT DESCRIPTION'
        $about | Should -Match 'LONG DESCRIPTION'
    }

    It 'explains <_>' -ForEach @('References', 'Credentials', 'Verification and resume', 'Retries', 'The test registry', 'Errors', 'Continuous integration') {
        $about -match "(?m)^\s+$([regex]::Escape($_))\s*$" | Should -BeTrue -Because "about_OciRegistry.md should have a section '### $_'"
    }

    # Booleans, so that a failure names what is missing instead of printing the whole topic.
    It 'names the cmdlet <Name>' -ForEach $cmdlets {
        $about -match "\b$([regex]::Escape($Name))\b" | Should -BeTrue -Because "about_OciRegistry.md should mention $Name"
    }

    It 'lists the ErrorId <Id>' -ForEach $errorIds {
        $about -match "\b$Id\b" | Should -BeTrue -Because "about_OciRegistry.md should explain the ErrorId $Id from ErrorMapping.cs"
    }
}
