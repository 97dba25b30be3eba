using System.Management.Automation;

namespace OciRegistry.Hosting;

/// <summary>Undoes <see cref="ModuleInitializer"/> when the module is removed, and stops test registries left running.</summary>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    /// <summary>Called by PowerShell on <c>Remove-Module</c>.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        Output.OciTestRegistry.StopAll();
        ModuleInitializer.Unhook();
    }
}
