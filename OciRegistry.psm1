# The cmdlets live in OciRegistry.dll (a nested module); its dependencies load from ./dependencies through the
# module's assembly initializer, and Tab completion comes from the cmdlets' own completers
# (OciRegistry.Completion, attached to their parameters). This script keeps nothing: importing must stay cheap,
# with no network, no runspace and no completion work until someone presses Tab.
Set-StrictMode -Version 3.0

# PowerShell's completion asks no argument completer for a string with a subexpression, such as
# "$($registry.Host)/samples/hello:", the form the help examples use. TabExpansion2 is wrapped so that such an
# argument of this module's cmdlets is completed too (OciRegistry.Completion.TabExpansionFallback), by a cmdlet the
# module does not export, as the same steps written here cost a fresh pwsh some 70 ms; removing the module puts the
# previous one back, unless something has replaced the wrapper since.
Register-OciTabExpansionFallback
$ExecutionContext.SessionState.Module.OnRemove = {
    if ([object]::ReferenceEquals(${function:global:TabExpansion2}, [OciRegistry.Completion.TabExpansionFallback]::Wrapper)) {
        ${function:global:TabExpansion2} = [OciRegistry.Completion.TabExpansionFallback]::Previous
    }
}
