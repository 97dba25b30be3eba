<#
.SYNOPSIS
    Turns the markdown help pages in src/Help/<culture>/ into the help files PowerShell reads: MAML
    (<assembly>-Help.xml) for the cmdlets and about_*.help.txt for the about topics.
.DESCRIPTION
    platyPS is not reachable from this build, so this script reads its page layout itself:

        # Get-OciManifest
        ## SYNOPSIS / ## SYNTAX / ## DESCRIPTION
        ## EXAMPLES       ### Example 1: <title>, one ```powershell block, then remarks
        ## PARAMETERS     ### -Name, its description (a ```yaml block, if any, may give "Default value:")
        ## INPUTS / ## OUTPUTS   ### <type name>, its description
        ## NOTES / ## RELATED LINKS   (links as "- [text](uri)")

    Descriptions come from the markdown; everything about a parameter that the compiler knows (parameter sets,
    type, mandatory, position, pipeline binding, aliases, defaults) comes from the built module, read in a child
    pwsh by Get-CmdletHelpMetadata.ps1, so the syntax in Get-Help cannot drift from the code. The SYNTAX section of
    a page is for people reading the markdown and is ignored here.

    The markdown is read by hand rather than with Markdig: the pages use a fixed subset (headings, fenced blocks,
    paragraphs, "- " lists, `code` and [links](uri)), which Split-MarkdownBlocks and ConvertFrom-InlineMarkdown
    cover in about a hundred lines, while Markdig would need its assembly loaded into the build's pwsh from the
    NuGet cache and still a walk over its tree to find the same sections and render the same plain text.

    Problems (a cmdlet with no page, a parameter with no description, a page for no cmdlet) are warnings, not
    build failures: the help tests fail on them, naming what is missing.
.EXAMPLE
    ./src/Help/ConvertTo-MamlHelp.ps1 -SourcePath ./src/Help/en-US -ModuleManifest ./out/OciRegistry/0.1.0/OciRegistry.psd1 -OutputPath ./out/OciRegistry/0.1.0/en-US
#>
[CmdletBinding()]
param(
    # The folder of markdown pages: <Cmdlet-Name>.md and about_*.md.
    [Parameter(Mandatory)] [string] $SourcePath,
    # The built module whose cmdlets the pages describe.
    [Parameter(Mandatory)] [string] $ModuleManifest,
    # Where the help files go: <module>/<culture>.
    [Parameter(Mandatory)] [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

# Descriptions PowerShell gives every ShouldProcess cmdlet; a page may still write its own.
$standardDescriptions = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

#region Markdown

function ConvertFrom-InlineMarkdown([string] $Text) {
    # Plain text for the console: web links keep their address, links between pages only their text, and
    # emphasis and code marks go.
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\(([^)\s]+)\)', {
            param($m)
            $label, $target = $m.Groups[1].Value, $m.Groups[2].Value
            if ($target -notmatch '^https?://' -or $label -eq $target) { $label } else { "$label ($target)" }
        })
    $Text = [regex]::Replace($Text, '(`+)(.+?)\1', '$2')
    $Text = [regex]::Replace($Text, '\*\*(.+?)\*\*', '$1')
    $Text = [regex]::Replace($Text, '\\([\\`*_{}\[\]()#+\-.!<>|])', '$1')
    return $Text
}

function Split-MarkdownBlocks {
    <# Splits lines into headings, paragraphs, list items, tables and fenced code, each with its line number. #>
    param([object[]] $Lines)
    $blocks = [System.Collections.Generic.List[object]]::new()
    $i = 0
    while ($i -lt $Lines.Count) {
        $line = $Lines[$i].Text
        $number = $Lines[$i].Number
        if ($line -match '^\s*$') { $i++; continue }
        if ($line -match '^\s*(```+|~~~+)\s*([\w+-]*)') {
            $fence = $Matches[1]
            $lang = $Matches[2].ToLowerInvariant()
            $indent = $line.Length - $line.TrimStart().Length
            $body = [System.Collections.Generic.List[string]]::new()
            $i++
            while ($i -lt $Lines.Count -and $Lines[$i].Text -notmatch "^\s*$([regex]::Escape($fence))\s*$") {
                $text = $Lines[$i].Text
                $strip = [Math]::Min($indent, $text.Length - $text.TrimStart().Length)
                $body.Add($text.Substring($strip))
                $i++
            }
            if ($i -ge $Lines.Count) { Write-Warning "$($Lines[0].File):${number}: a code block is not closed." }
            $i++
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Lang = $lang; Text = ($body -join "`n"); Line = $number })
            continue
        }
        if ($line -match '^(#{1,6})\s+(.*?)\s*#*\s*$') {
            $blocks.Add([pscustomobject]@{ Kind = "H$($Matches[1].Length)"; Lang = ''; Text = $Matches[2]; Line = $number })
            $i++
            continue
        }
        if ($line -match '^\s*\|') {
            $rows = [System.Collections.Generic.List[string]]::new()
            while ($i -lt $Lines.Count -and $Lines[$i].Text -match '^\s*\|') { $rows.Add($Lines[$i].Text.Trim()); $i++ }
            $blocks.Add([pscustomobject]@{ Kind = 'Table'; Lang = ''; Text = ($rows -join "`n"); Line = $number })
            continue
        }
        if ($line -match '^(\s*)([-*+]|\d+[.)])\s+(.*)$') {
            $marker = $Matches[2]
            $parts = [System.Collections.Generic.List[string]]::new()
            $parts.Add($Matches[3])
            $i++
            # Continuation lines are indented and are not a new item, heading or fence.
            while ($i -lt $Lines.Count -and $Lines[$i].Text -match '^\s+\S' -and $Lines[$i].Text -notmatch '^\s*([-*+]|\d+[.)])\s+|^\s*(```|~~~)') {
                $parts.Add($Lines[$i].Text.Trim()); $i++
            }
            $bullet = if ($marker -match '^\d') { $marker } else { '-' }
            $blocks.Add([pscustomobject]@{ Kind = 'Item'; Lang = $bullet; Text = ($parts -join ' '); Line = $number })
            continue
        }
        $parts = [System.Collections.Generic.List[string]]::new()
        while ($i -lt $Lines.Count -and $Lines[$i].Text -notmatch '^\s*$|^#{1,6}\s|^\s*(```|~~~)|^\s*\||^\s*([-*+]|\d+[.)])\s+') {
            $parts.Add($Lines[$i].Text.Trim()); $i++
        }
        $blocks.Add([pscustomobject]@{ Kind = 'Para'; Lang = ''; Text = ($parts -join ' '); Line = $number })
    }
    return , $blocks
}

function Read-MarkdownPage([string] $Path) {
    <# A page as its H1 title and its H2 sections (upper-case names), each a list of blocks. #>
    $all = [System.IO.File]::ReadAllLines($Path)
    $start = 0
    # platyPS pages open with yaml front matter between two '---' lines; nothing here needs it.
    if ($all.Count -gt 0 -and $all[0].Trim() -eq '---') {
        $close = [Array]::FindIndex($all, 1, [Predicate[string]] { param($l) $l.Trim() -eq '---' })
        if ($close -gt 0) { $start = $close + 1 }
    }
    $lines = for ($index = $start; $index -lt $all.Count; $index++) {
        [pscustomobject]@{ Text = $all[$index]; Number = $index + 1; File = $Path }
    }
    $title = $null
    $sections = [ordered]@{}
    $current = $null
    foreach ($block in (Split-MarkdownBlocks @($lines))) {
        if ($block.Kind -eq 'H1' -and -not $title) { $title = $block.Text.Trim(); continue }
        if ($block.Kind -eq 'H2') {
            $current = [System.Collections.Generic.List[object]]::new()
            $sections[$block.Text.Trim().ToUpperInvariant()] = $current
            continue
        }
        if ($null -eq $current) {
            if ($block.Kind -ne 'Code' -or $block.Lang -ne 'yaml') { Write-Warning "${Path}:$($block.Line): text before the first section is ignored." }
            continue
        }
        $current.Add($block)
    }
    return [pscustomobject]@{ Path = $Path; Title = $title; Sections = $sections }
}

function Get-Section($Page, [string] $Name) {
    if ($Page.Sections.Contains($Name)) { return , $Page.Sections[$Name] }
    return , [System.Collections.Generic.List[object]]::new()
}

function Split-Subsections($Blocks) {
    <# The H3 subsections of a section: title and blocks. #>
    $result = [System.Collections.Generic.List[object]]::new()
    $current = $null
    foreach ($block in $Blocks) {
        if ($block.Kind -eq 'H3') {
            $current = [pscustomobject]@{ Title = $block.Text.Trim(); Line = $block.Line; Blocks = [System.Collections.Generic.List[object]]::new() }
            $result.Add($current)
        }
        elseif ($current) { $current.Blocks.Add($block) }
    }
    return , $result
}

function ConvertTo-Paragraphs($Blocks) {
    <# Blocks as the paragraphs a maml:para holds: prose unwrapped, code and tables kept line by line. #>
    foreach ($block in $Blocks) {
        switch ($block.Kind) {
            'Para' { ConvertFrom-InlineMarkdown $block.Text }
            'Item' { "$($block.Lang) $(ConvertFrom-InlineMarkdown $block.Text)" }
            # Get-Help trims the start of a paragraph, so indenting code would shift only its first line.
            'Code' { $block.Text }
            'Table' { $block.Text }
            default { ConvertFrom-InlineMarkdown $block.Text }
        }
    }
}

#endregion

#region MAML

function Write-Paragraphs([System.Xml.XmlWriter] $Writer, [string] $Element, [string[]] $Paragraphs) {
    $prefix, $local = $Element -split ':'
    $Writer.WriteStartElement($prefix, $local, $ns[$prefix])
    foreach ($para in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $ns.maml, $para) }
    if (-not $Paragraphs) { $Writer.WriteElementString('maml', 'para', $ns.maml, '') }
    $Writer.WriteEndElement()
}

function Get-PipelineInputText($Bindings) {
    $how = @()
    if ($Bindings | Where-Object ByValue) { $how += 'ByValue' }
    if ($Bindings | Where-Object ByPropertyName) { $how += 'ByPropertyName' }
    if ($Bindings | Where-Object Remaining) { $how += 'FromRemainingArguments' }
    if ($how) { return "True ($($how -join ', '))" }
    return 'False'
}

function Write-Parameter {
    param([System.Xml.XmlWriter] $Writer, $Parameter, $Bindings, [string[]] $Description, [string] $Default)
    $required = @($Bindings | ForEach-Object { [bool] $_.IsMandatory } | Sort-Object -Unique)
    $positions = @($Bindings | ForEach-Object { if ($_.Position -ge 0) { [string] $_.Position } else { 'named' } } | Sort-Object -Unique)
    $Writer.WriteStartElement('command', 'parameter', $ns.command)
    $Writer.WriteAttributeString('required', $(if ($required.Count -eq 1) { "$($required[0])".ToLowerInvariant() } else { (@($Bindings | ForEach-Object { "$("$($_.IsMandatory)".ToLowerInvariant()) ($($_.Set))" }) -join ', ') }))
    $Writer.WriteAttributeString('variableLength', "$([bool] $Parameter.IsArray)".ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', "$([bool] $Parameter.SupportsWildcards)".ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', (Get-PipelineInputText $Bindings))
    $Writer.WriteAttributeString('position', $(if ($positions.Count -eq 1) { $positions[0] } else { (@($Bindings | ForEach-Object { "$(if ($_.Position -ge 0) { $_.Position } else { 'named' }) ($($_.Set))" }) -join ', ') }))
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $ns.maml, $Parameter.Name)
    Write-Paragraphs $Writer 'maml:description' $Description
    if (-not $Parameter.IsSwitch) {
        $Writer.WriteStartElement('command', 'parameterValue', $ns.command)
        $Writer.WriteAttributeString('required', 'true')
        $Writer.WriteAttributeString('variableLength', "$([bool] $Parameter.IsArray)".ToLowerInvariant())
        $Writer.WriteString($Parameter.TypeName)
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $ns.dev)
    $Writer.WriteElementString('maml', 'name', $ns.maml, $Parameter.FullTypeName)
    $Writer.WriteElementString('maml', 'uri', $ns.maml, '')
    $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $ns.dev, $(if ($Default) { $Default } elseif ($Parameter.IsSwitch) { 'False' } else { 'None' }))
    $Writer.WriteEndElement()
}

function Write-TypeList([System.Xml.XmlWriter] $Writer, [string] $Outer, [string] $Inner, $Subsections) {
    $Writer.WriteStartElement('command', $Outer, $ns.command)
    foreach ($type in $Subsections) {
        $Writer.WriteStartElement('command', $Inner, $ns.command)
        $Writer.WriteStartElement('dev', 'type', $ns.dev)
        $Writer.WriteElementString('maml', 'name', $ns.maml, (ConvertFrom-InlineMarkdown $type.Title))
        $Writer.WriteEndElement()
        Write-Paragraphs $Writer 'maml:description' @(ConvertTo-Paragraphs $type.Blocks)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Read-ParameterDocs($Page) {
    <# -Name → description paragraphs and an optional default from the yaml block. #>
    $docs = [ordered]@{}
    foreach ($sub in (Split-Subsections (Get-Section $Page 'PARAMETERS'))) {
        if ($sub.Title -notmatch '^-(\w+)$') { Write-Warning "$($Page.Path):$($sub.Line): '### $($sub.Title)' is not a parameter heading (### -Name)."; continue }
        $default = $null
        $prose = foreach ($block in $sub.Blocks) {
            if ($block.Kind -eq 'Code' -and $block.Lang -eq 'yaml') {
                if ($block.Text -match '(?m)^\s*Default value:\s*(.+?)\s*$' -and $Matches[1] -ne 'None') { $default = $Matches[1] }
            }
            else { $block }
        }
        $docs[$Matches[1]] = [pscustomobject]@{ Description = @(ConvertTo-Paragraphs @($prose)); Default = $default; Line = $sub.Line }
    }
    return $docs
}

function Write-CommandHelp {
    param([System.Xml.XmlWriter] $Writer, $Page, $Command)
    $where = $Page.Path
    $synopsis = @(ConvertTo-Paragraphs (Get-Section $Page 'SYNOPSIS'))
    $description = @(ConvertTo-Paragraphs (Get-Section $Page 'DESCRIPTION'))
    if (-not $synopsis) { Write-Warning "${where}: no SYNOPSIS." }
    if (-not $description) { Write-Warning "${where}: no DESCRIPTION." }
    $parameterDocs = Read-ParameterDocs $Page
    $byName = [ordered]@{}
    foreach ($parameter in $Command.Parameters) { $byName[$parameter.Name] = $parameter }
    foreach ($name in $parameterDocs.Keys) {
        if (-not $byName.Contains($name)) { Write-Warning "$($where):$($parameterDocs[$name].Line): -$name is not a parameter of $($Command.Name)." }
    }
    $descriptionOf = @{}
    $defaultOf = @{}
    foreach ($parameter in $Command.Parameters) {
        $doc = $parameterDocs[$parameter.Name]
        $descriptionOf[$parameter.Name] = if ($doc -and $doc.Description) { $doc.Description } elseif ($standardDescriptions.ContainsKey($parameter.Name)) { , $standardDescriptions[$parameter.Name] } else { @() }
        $defaultOf[$parameter.Name] = if ($doc -and $doc.Default) { $doc.Default } else { $parameter.Default }
        if (-not $descriptionOf[$parameter.Name]) { Write-Warning "${where}: -$($parameter.Name) of $($Command.Name) has no description." }
    }
    $bindingsOf = @{}
    foreach ($set in $Command.ParameterSets) {
        foreach ($binding in $set.Parameters) {
            if (-not $bindingsOf.ContainsKey($binding.Name)) { $bindingsOf[$binding.Name] = [System.Collections.Generic.List[object]]::new() }
            $bindingsOf[$binding.Name].Add(($binding | Select-Object *, @{ n = 'Set'; e = { $set.Name } }))
        }
    }

    $Writer.WriteStartElement('command', 'command', $ns.command)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
    $Writer.WriteAttributeString('xmlns', 'command', $null, $ns.command)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)

    $Writer.WriteStartElement('command', 'details', $ns.command)
    $Writer.WriteElementString('command', 'name', $ns.command, $Command.Name)
    $Writer.WriteElementString('command', 'verb', $ns.command, $Command.Verb)
    $Writer.WriteElementString('command', 'noun', $ns.command, $Command.Noun)
    Write-Paragraphs $Writer 'maml:description' $synopsis
    $Writer.WriteEndElement()

    Write-Paragraphs $Writer 'maml:description' $description

    # Syntax: one item per parameter set, the default set first, parameters in the order PowerShell prints them.
    $Writer.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in @($Command.ParameterSets | Where-Object IsDefault) + @($Command.ParameterSets | Where-Object { -not $_.IsDefault })) {
        $Writer.WriteStartElement('command', 'syntaxItem', $ns.command)
        $Writer.WriteElementString('maml', 'name', $ns.maml, $Command.Name)
        foreach ($binding in $set.Parameters) {
            Write-Parameter $Writer $byName[$binding.Name] @($binding | Select-Object *, @{ n = 'Set'; e = { $set.Name } }) $descriptionOf[$binding.Name] $defaultOf[$binding.Name]
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    # Parameters: in the page's order, then any the page does not describe (their description stays empty).
    $Writer.WriteStartElement('command', 'parameters', $ns.command)
    $order = @($parameterDocs.Keys | Where-Object { $byName.Contains($_) }) + @($byName.Keys | Where-Object { -not $parameterDocs.Contains($_) })
    foreach ($name in $order) {
        Write-Parameter $Writer $byName[$name] $bindingsOf[$name] $descriptionOf[$name] $defaultOf[$name]
    }
    $Writer.WriteEndElement()

    Write-TypeList $Writer 'inputTypes' 'inputType' (Split-Subsections (Get-Section $Page 'INPUTS'))
    Write-TypeList $Writer 'returnValues' 'returnValue' (Split-Subsections (Get-Section $Page 'OUTPUTS'))

    $notes = @(ConvertTo-Paragraphs (Get-Section $Page 'NOTES'))
    $Writer.WriteStartElement('maml', 'alertSet', $ns.maml)
    $Writer.WriteStartElement('maml', 'alert', $ns.maml)
    foreach ($para in $notes) { $Writer.WriteElementString('maml', 'para', $ns.maml, $para) }
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'examples', $ns.command)
    foreach ($example in (Split-Subsections (Get-Section $Page 'EXAMPLES'))) {
        $code = @($example.Blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Lang -in 'powershell', 'pwsh', 'ps1', 'ps', '' } | Select-Object -First 1)
        if (-not $code) { Write-Warning "$($where):$($example.Line): '$($example.Title)' has no powershell code block."; continue }
        $remarks = @(ConvertTo-Paragraphs @($example.Blocks | Where-Object { $_ -ne $code[0] }))
        $Writer.WriteStartElement('command', 'example', $ns.command)
        $title = ConvertFrom-InlineMarkdown $example.Title
        $dashes = '-' * [Math]::Max(2, [Math]::Min(10, [int][Math]::Floor((76 - $title.Length) / 2)))
        $Writer.WriteElementString('maml', 'title', $ns.maml, "$dashes $title $dashes")
        $Writer.WriteElementString('dev', 'code', $ns.dev, $code[0].Text)
        # The empty paragraph keeps a blank line between one example's remarks and the next title.
        Write-Paragraphs $Writer 'dev:remarks' ($remarks + '')
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('maml', 'relatedLinks', $ns.maml)
    foreach ($link in (Get-Section $Page 'RELATED LINKS')) {
        if ($link.Kind -notin 'Item', 'Para') { continue }
        $Writer.WriteStartElement('maml', 'navigationLink', $ns.maml)
        if ($link.Text -match '^\s*\[([^\]]+)\]\(([^)\s]*)\)\s*$') {
            $text, $uri = $Matches[1], $Matches[2]
            # Pages link to each other by file name; Get-Help shows only web addresses.
            $Writer.WriteElementString('maml', 'linkText', $ns.maml, $text)
            $Writer.WriteElementString('maml', 'uri', $ns.maml, $(if ($uri -match '^https?://') { $uri } else { '' }))
        }
        else {
            $Writer.WriteElementString('maml', 'linkText', $ns.maml, (ConvertFrom-InlineMarkdown $link.Text))
            $Writer.WriteElementString('maml', 'uri', $ns.maml, '')
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement()
}

#endregion

#region About topics

function Format-Wrapped([string] $Text, [int] $Indent, [int] $Hanging = $Indent, [int] $Width = 79) {
    <# Word-wraps $Text to $Width columns: the first line indented by $Indent, the rest by $Hanging. #>
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ' ' * $Indent
    $empty = $true
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if (-not $empty -and $line.Length + 1 + $word.Length -gt $Width) {
            $lines.Add($line)
            $line = (' ' * $Hanging) + $word
        }
        else {
            $line = if ($empty) { $line + $word } else { "$line $word" }
        }
        $empty = $false
    }
    $lines.Add($line)
    return $lines
}

function ConvertTo-AboutText($Page) {
    <# The classic about_*.help.txt shape: TOPIC, SHORT DESCRIPTION, LONG DESCRIPTION, ... 79 columns. #>
    $out = [System.Collections.Generic.List[string]]::new()
    $out.Add('TOPIC')
    $out.Add("    $($Page.Title)")
    foreach ($name in $Page.Sections.Keys) {
        $out.Add('')
        $out.Add($name)
        $last = 'Heading'
        foreach ($block in $Page.Sections[$name]) {
            if ($block.Kind -like 'H*') {
                $out.Add('')
                $out.Add("  $(ConvertFrom-InlineMarkdown $block.Text)")
                $last = 'Heading'
                continue
            }
            # A blank line between blocks, except between the items of one list.
            if ($last -ne 'Heading' -and -not ($block.Kind -eq 'Item' -and $last -eq 'Item')) { $out.Add('') }
            switch ($block.Kind) {
                'Para' { $out.AddRange([string[]] (Format-Wrapped (ConvertFrom-InlineMarkdown $block.Text) 4)) }
                'Item' {
                    $bullet = "$($block.Lang) "
                    $out.AddRange([string[]] (Format-Wrapped ($bullet + (ConvertFrom-InlineMarkdown $block.Text)) 4 (4 + $bullet.Length)))
                }
                'Code' { foreach ($codeLine in $block.Text -split "`n") { $out.Add(("        $codeLine").TrimEnd()) } }
                'Table' { foreach ($row in $block.Text -split "`n") { $out.Add("    $row") } }
            }
            $last = $block.Kind
        }
    }
    return ($out -join [Environment]::NewLine) + [Environment]::NewLine
}

#endregion

$SourcePath = (Resolve-Path -LiteralPath $SourcePath).ProviderPath
$ModuleManifest = (Resolve-Path -LiteralPath $ModuleManifest).ProviderPath
$null = New-Item -ItemType Directory -Force -Path $OutputPath
$OutputPath = (Resolve-Path -LiteralPath $OutputPath).ProviderPath

# The built module's cmdlets, described by a child pwsh (see Get-CmdletHelpMetadata.ps1).
$entry = [System.Reflection.Assembly]::GetEntryAssembly().Location
$pwshPath = [Environment]::ProcessPath
$metadataScript = Join-Path $PSScriptRoot 'Get-CmdletHelpMetadata.ps1'
$childArgs = @('-NoProfile', '-NonInteractive', '-File', $metadataScript, '-ModuleManifest', $ModuleManifest)
$json = if ($entry -like '*.dll') { & $pwshPath $entry @childArgs } else { & $pwshPath @childArgs }
if ($LASTEXITCODE -ne 0) { throw "Reading the cmdlets of $ModuleManifest failed ($LASTEXITCODE): $json" }
$commands = @(($json -join "`n") | ConvertFrom-Json)

$pages = @{}
foreach ($file in Get-ChildItem -LiteralPath $SourcePath -Filter '*.md' | Where-Object Name -NotLike 'about_*') {
    $page = Read-MarkdownPage $file.FullName
    if ($page.Title -ne $file.BaseName) { Write-Warning "$($file.FullName): the title '# $($page.Title)' should be the file's name, '# $($file.BaseName)'." }
    $pages[$file.BaseName] = $page
}
foreach ($name in $pages.Keys | Where-Object { $_ -notin $commands.Name } | Sort-Object) {
    Write-Warning "$($pages[$name].Path): the module exports no cmdlet $name; the page is not built."
}

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$settings.NewLineChars = "`n"
$written = @()
foreach ($group in $commands | Group-Object HelpFile) {
    $target = Join-Path $OutputPath $group.Name
    $writer = [System.Xml.XmlWriter]::Create($target, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', $ns.msh)
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($command in $group.Group) {
            if (-not $pages.ContainsKey($command.Name)) {
                Write-Warning "$($command.Name) has no help page; write $(Join-Path $SourcePath "$($command.Name).md")."
                continue
            }
            Write-CommandHelp $writer $pages[$command.Name] $command
        }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }
    $written += $target
}

foreach ($file in Get-ChildItem -LiteralPath $SourcePath -Filter 'about_*.md') {
    $target = Join-Path $OutputPath "$($file.BaseName).help.txt"
    [System.IO.File]::WriteAllText($target, (ConvertTo-AboutText (Read-MarkdownPage $file.FullName)), [System.Text.UTF8Encoding]::new($false))
    $written += $target
}
return $written
