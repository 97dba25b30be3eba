using System.Management.Automation;

namespace OciRegistry.Completion;

/// <summary>
/// Wraps <c>TabExpansion2</c> for <see cref="TabExpansionFallback"/>. Not exported: the module's script runs it once at
/// import. A cmdlet, not a method: a cmdlet has the session state at hand, and calling one costs a fresh pwsh far
/// less than the first .NET method call from script does.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "OciTabExpansionFallback")]
public sealed class RegisterOciTabExpansionFallbackCommand : PSCmdlet
{
    /// <summary>Installs the wrapper.</summary>
    protected override void EndProcessing() => TabExpansionFallback.Install(SessionState);
}
