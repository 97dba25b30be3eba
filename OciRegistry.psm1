# The cmdlets live in OciRegistry.dll (a nested module); its dependencies load from ./dependencies through the
# module's assembly initializer. This script only keeps module-level state that the binary part cannot.
Set-StrictMode -Version 3.0
