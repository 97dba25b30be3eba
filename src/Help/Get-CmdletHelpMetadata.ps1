<#
.SYNOPSIS
    Writes, as JSON, what the help needs to know about a built module's cmdlets: parameter sets, parameter types,
    positions, pipeline binding, aliases and defaults.
.DESCRIPTION
    ConvertTo-MamlHelp.ps1 runs this in a child pwsh so that the build process never loads the module it has just
    built (the assembly would stay locked and loaded for the rest of the build). The facts come from the compiled
    cmdlets, so the syntax in the help cannot drift from the code; only descriptions come from markdown.
#>
param([Parameter(Mandatory)] [string] $ModuleManifest)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$module = Import-Module (Resolve-Path -LiteralPath $ModuleManifest).ProviderPath -PassThru -Force
$common = [System.Management.Automation.Cmdlet]::CommonParameters

# Short type names as PowerShell prints them in syntax (string, int, pscredential, OciManifest[]).
$accelerators = @{}
foreach ($entry in ([psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')::Get).GetEnumerator()) {
    $known = $accelerators[$entry.Value]
    if (-not $known -or $entry.Key.Length -lt $known.Length -or ($entry.Key.Length -eq $known.Length -and $entry.Key -lt $known)) {
        $accelerators[$entry.Value] = $entry.Key
    }
}

function Get-ShortTypeName([type] $Type) {
    if ($Type.IsArray) { return (Get-ShortTypeName $Type.GetElementType()) + '[]' }
    $inner = [Nullable]::GetUnderlyingType($Type)
    if ($inner) { return Get-ShortTypeName $inner }
    if ($accelerators.ContainsKey($Type)) { return $accelerators[$Type].ToLowerInvariant() }
    return $Type.Name
}

function Get-FullTypeName([type] $Type) {
    if ($Type.IsArray) { return (Get-FullTypeName $Type.GetElementType()) + '[]' }
    $inner = [Nullable]::GetUnderlyingType($Type)
    if ($inner) { return Get-FullTypeName $inner }
    return $Type.FullName
}

function Get-DefaultText($Instance, [string] $Name) {
    # A fresh cmdlet object holds the defaults its properties are initialised with; empty ones say nothing.
    if ($null -eq $Instance) { return $null }
    $property = $Instance.GetType().GetProperty($Name)
    if (-not $property) { return $null }
    $value = $property.GetValue($Instance)
    if ($null -eq $value -or $value -is [System.Management.Automation.SwitchParameter]) { return $null }
    if ($value -is [string] -and $value -eq '') { return $null }
    if ($value -is [array] -and $value.Count -eq 0) { return $null }
    return [string] $value
}

$cmdlets = foreach ($command in $module.ExportedCmdlets.Values | Sort-Object Name) {
    $instance = try { [Activator]::CreateInstance($command.ImplementingType) } catch { $null }
    $sets = foreach ($set in $command.ParameterSets) {
        $members = @($set.Parameters | Where-Object Name -NotIn $common)
        $positional = @($members | Where-Object Position -GE 0 | Sort-Object Position)
        $named = @($members | Where-Object Position -LT 0)
        [ordered]@{
            Name       = $set.Name
            IsDefault  = $set.IsDefault
            Parameters = @(foreach ($p in $positional + $named) {
                    [ordered]@{
                        Name           = $p.Name
                        IsMandatory    = $p.IsMandatory
                        Position       = $p.Position
                        ByValue        = $p.ValueFromPipeline
                        ByPropertyName = $p.ValueFromPipelineByPropertyName
                        Remaining      = $p.ValueFromRemainingArguments
                    }
                })
        }
    }
    $parameters = foreach ($p in $command.Parameters.Values | Where-Object Name -NotIn $common) {
        [ordered]@{
            Name              = $p.Name
            TypeName          = Get-ShortTypeName $p.ParameterType
            FullTypeName      = Get-FullTypeName $p.ParameterType
            IsSwitch          = $p.SwitchParameter
            IsArray           = $p.ParameterType.IsArray
            Aliases           = @($p.Aliases)
            SupportsWildcards = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            Default           = Get-DefaultText $instance $p.Name
        }
    }
    [ordered]@{
        Name        = $command.Name
        Verb        = $command.Verb
        Noun        = $command.Noun
        HelpFile    = $command.HelpFile
        OutputTypes = @($command.OutputType | ForEach-Object { if ($_.Type) { Get-FullTypeName $_.Type } else { $_.Name } })
        ParameterSets = @($sets)
        Parameters  = @($parameters)
    }
}
ConvertTo-Json -InputObject @($cmdlets) -Depth 8
