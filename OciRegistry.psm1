# The cmdlets live in OciRegistry.dll (a nested module); its dependencies load from ./dependencies through the
# module's assembly initializer, and Tab completion comes from the cmdlets' own completers
# (OciRegistry.Completion, attached to their parameters). This script keeps nothing: importing must stay cheap,
# with no network, no runspace and no completion work until someone presses Tab.
Set-StrictMode -Version 3.0
