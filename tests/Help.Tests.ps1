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

    # Every ErrorId the cmdlets can write: the module's one list of them.
    $errorIds = @([OciRegistry.Hosting.ErrorIds]::All | ForEach-Object { @{ Id = $_ } })
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
        $about -match "\b$Id\b" | Should -BeTrue -Because "about_OciRegistry.md should explain the ErrorId $Id from ErrorIds.cs"
    }

    It 'knows of ErrorIds only from ErrorIds.cs: no cmdlet spells one out' {
        # An id written as a string where an ErrorRecord is made would escape the list above, and so the help.
        $sources = Get-ChildItem (Join-Path $PSScriptRoot '../src/OciRegistry') -Recurse -Filter *.cs |
            Where-Object { $_.Name -ne 'ErrorIds.cs' -and $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }
        $spelled = foreach ($file in $sources) {
            $text = Get-Content -Raw $file.FullName
            foreach ($match in [regex]::Matches($text, '"[A-Z][A-Za-z]+"\s*,\s*ErrorCategory\.|new ErrorRecord\([^;]*?\?\s*"[A-Z][A-Za-z]+"')) {
                "$($file.Name): $($match.Value)"
            }
        }
        @($spelled) | Should -BeNullOrEmpty
    }
}

Describe 'ConvertTo-MamlHelp' {
    BeforeAll {
        $source = Join-Path $TestDrive 'pages'
        $null = New-Item -ItemType Directory -Path $source
        $fence = '```'
        @"
# Get-OciTag

## SYNOPSIS
Lists <tags> & "quotes".

## DESCRIPTION
Uses ``code``, **bold** and [a link](https://example.com/?a=1&b=2).

## EXAMPLES

### Example 1: Less than < and ampersand &
${fence}powershell
if (1 -lt 2 -and 'a' -ne '<b>') { 'x & y' }
$fence

Remarks with <angle> brackets.

## PARAMETERS

### -Reference
The <repository>.

### -NoSuchParameter
Nothing.
"@ | Set-Content -LiteralPath (Join-Path $source 'Get-OciTag.md')
        "# Get-Nothing`n`n## SYNOPSIS`nNothing." | Set-Content -LiteralPath (Join-Path $source 'Get-Nothing.md')

        $converter = Join-Path $PSScriptRoot '../src/Help/ConvertTo-MamlHelp.ps1'
        $output = Join-Path $TestDrive 'en-US'
        $warnings = @(& $converter -SourcePath $source -ModuleManifest $env:OCIREGISTRY_MODULE -OutputPath $output 3>&1 |
                Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
        [xml] $maml = Get-Content -Raw -LiteralPath (Join-Path $output 'OciRegistry.dll-Help.xml')
        $tag = $maml.helpItems.command | Where-Object { $_.details.name -eq 'Get-OciTag' }
    }

    It 'keeps markup characters as text' {
        $tag.details.description.para | Should -BeExactly 'Lists <tags> & "quotes".'
        $tag.examples.example.code | Should -BeExactly "if (1 -lt 2 -and 'a' -ne '<b>') { 'x & y' }"
        $tag.examples.example.title | Should -Match 'Example 1: Less than < and ampersand &'
        @($tag.examples.example.remarks.para)[0] | Should -BeExactly 'Remarks with <angle> brackets.'
    }

    It 'turns inline markdown into plain text' {
        $tag.description.para | Should -BeExactly 'Uses code, bold and a link (https://example.com/?a=1&b=2).'
    }

    It 'takes the syntax from the compiled cmdlet, not from the page' {
        @($tag.syntax.syntaxItem.parameter.name) | Should -Be @('Reference', 'PageSize', 'Include', 'Exclude', 'Match', 'Sort', 'Descending', 'First', 'Credential', 'AllowInsecure', 'Scheme', 'Proxy', 'ProxyCredential', 'NoProxy', 'SkipCertificateCheck', 'MaximumRetryCount', 'RetryIntervalSec', 'CertificateAuthority', 'Certificate', 'CertificatePath', 'CertificatePassword', 'ConnectionTimeoutSeconds', 'OperationTimeoutSeconds')
        $reference = $tag.parameters.parameter | Where-Object name -EQ 'Reference'
        $reference.position | Should -Be '0'
        $reference.pipelineInput | Should -Be 'True (ByValue, ByPropertyName)'
        $reference.description.para | Should -BeExactly 'The <repository>.'
    }

    It 'warns about <What>' -ForEach @(
        @{ What = 'a cmdlet without a page'; Pattern = 'Get-OciManifest has no help page' }
        @{ What = 'a parameter without a description'; Pattern = '-PageSize of Get-OciTag has no description' }
        @{ What = 'a page for a parameter the cmdlet lacks'; Pattern = '-NoSuchParameter is not a parameter of Get-OciTag' }
        @{ What = 'a page for a cmdlet the module lacks'; Pattern = 'exports no cmdlet Get-Nothing' }
    ) {
        ($warnings -join "`n") | Should -Match ([regex]::Escape($Pattern))
    }

    It 'leaves a cmdlet without a page out of the help file, so that Get-Help shows it has none' {
        $maml.helpItems.command.details.name | Should -Not -Contain 'Get-OciManifest'
    }
}
