using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;

namespace OciRegistry.Completion;

/// <summary>
/// Completion of an argument written as a string with a subexpression, <c>"$($r.Host)/samples/hello:</c>, the
/// form every help example uses. PowerShell asks no argument completer there: its completion expands only plain
/// variables in such a string and gives up on anything else (CompletionAnalysis.GetResultForString, through
/// IsPathSafelyExpandable). The module therefore wraps <c>TabExpansion2</c> (<see cref="Wrapper"/>): when the
/// previous one found nothing and the cursor ends such a string in an argument of one of this module's cmdlets,
/// the parameter's own completer is asked, with the string evaluated by <see cref="SafeExpression"/>.
/// </summary>
public static class TabExpansionFallback
{
    private static readonly Lazy<Dictionary<string, Type>> Cmdlets = new(() =>
        typeof(TabExpansionFallback).Assembly.GetTypes()
            .Select(t => (Type: t, Attribute: t.GetCustomAttribute<CmdletAttribute>()))
            .Where(c => c.Attribute is not null)
            .ToDictionary(c => c.Attribute!.VerbName + "-" + c.Attribute.NounName, c => c.Type, StringComparer.OrdinalIgnoreCase));

    private static ScriptBlock? _wrapper;

    /// <summary>The <c>TabExpansion2</c> that was defined when the module was imported; the wrapper calls it first.</summary>
    public static ScriptBlock? Previous { get; set; }

    /// <summary>
    /// The body of the wrapping <c>TabExpansion2</c>: the parameters of PowerShell's own, the previous function's
    /// answer, and <see cref="Complete"/> only when that answer is empty. Unbound to the module, so that it runs
    /// in the caller's scope and the variables of the line being completed are the caller's.
    /// </summary>
    public static ScriptBlock Wrapper => _wrapper ??= ScriptBlock.Create(WrapperText);

    /// <summary>
    /// Puts <see cref="Wrapper"/> in place of the global <c>TabExpansion2</c>, keeping the one there as
    /// <see cref="Previous"/>; nothing when it is wrapped already or there is none. Called at import through
    /// <see cref="RegisterOciTabExpansionFallbackCommand"/>: the same steps in the module's script cost a fresh pwsh
    /// some 70 ms (the session's first .NET method call builds its binder). The module's OnRemove, in its script,
    /// puts the previous one back.
    /// </summary>
    internal static void Install(SessionState sessionState)
    {
        // ${function:global:TabExpansion2}, as a script writes it: the global one, whatever scope imports the module.
        const string path = "function:global:TabExpansion2";
        if (sessionState.PSVariable.GetValue(path) is not ScriptBlock current || ReferenceEquals(current, Wrapper))
        {
            return;
        }

        Previous = current;
        sessionState.PSVariable.Set(path, Wrapper);
    }

    /// <summary>
    /// Completions for the expandable-string argument that ends at <paramref name="cursor"/>, from the completer of
    /// the parameter it binds to; null when the cursor is anywhere else or the completer has nothing. Never throws.
    /// </summary>
    public static CommandCompletion? Complete(Ast ast, Token[] tokens, IScriptPosition cursor)
    {
        try
        {
            // The cursor ends the string, or stands just before its closing quote: PSReadLine closes a quote as it is
            // typed, so "$($r.Host)/samples/hello:|" is how the line looks at the prompt.
            var argument = ast.FindAll(a => a is ExpandableStringExpressionAst && EndsAtCursor(a.Extent, cursor.Offset), searchNestedScriptBlocks: true)
                .OfType<ExpandableStringExpressionAst>()
                .LastOrDefault();
            var commandAst = argument?.Parent as CommandAst ?? argument?.Parent?.Parent as CommandAst;
            if (argument is null || commandAst is null || Cmdlet(commandAst) is not { } cmdletType)
            {
                return null;
            }

            var binding = StaticParameterBinder.BindCommand(commandAst, resolve: true);
            var parameter = binding.BoundParameters.FirstOrDefault(p => ReferenceEquals(p.Value.Value, argument)).Key;
            if (parameter is null
                || cmdletType.GetProperty(parameter)?.GetCustomAttribute<ArgumentCompleterAttribute>() is not { Type: { } completerType }
                || Activator.CreateInstance(completerType) is not IArgumentCompleter completer)
            {
                return null;
            }

            var fakeBoundParameters = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (var bound in binding.BoundParameters.Where(p => p.Value.ConstantValue is not null))
            {
                fakeBoundParameters[bound.Key] = bound.Value.ConstantValue;
            }

            var commandName = commandAst.GetCommandName();
            var start = argument.Extent.StartOffset;
            var typed = argument.Extent.Text.Substring(0, cursor.Offset - start);
            var results = completer.CompleteArgument(commandName, parameter, typed, commandAst, fakeBoundParameters)?.ToList();

            // Each completion is a whole quoted string, so it replaces the closing quote after the cursor too.
            return results is { Count: > 0 }
                ? new CommandCompletion(new Collection<CompletionResult>(results), -1, start, argument.Extent.EndOffset - start)
                : null;
        }
        catch (Exception)
        {
            // A completer must never throw at the prompt.
            return null;
        }
    }

    private static bool EndsAtCursor(IScriptExtent extent, int cursor) =>
        extent.EndOffset == cursor
        || (extent.EndOffset == cursor + 1 && extent.Text.Length >= 2 && extent.Text[extent.Text.Length - 1] is '"' or '\u201D' or '\u201C' or '\u201E');

    private static Type? Cmdlet(CommandAst commandAst)
    {
        var name = commandAst.GetCommandName();
        if (name is null)
        {
            return null;
        }

        var separator = name.IndexOf('\\');
        if (separator >= 0)
        {
            if (!string.Equals(name.Substring(0, separator), "OciRegistry", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            name = name.Substring(separator + 1);
        }

        return Cmdlets.Value.TryGetValue(name, out var type) ? type : null;
    }

    // The locals carry a prefix of their own: the wrapper's scope is where the completed line's variables are looked
    // up, and a plain $result would hide the user's.
    private const string WrapperText = """
        [CmdletBinding(DefaultParameterSetName = 'ScriptInputSet')]
        [OutputType([System.Management.Automation.CommandCompletion])]
        param(
            [Parameter(ParameterSetName = 'ScriptInputSet', Mandatory = $true, Position = 0)]
            [AllowEmptyString()]
            [string] $inputScript,

            [Parameter(ParameterSetName = 'ScriptInputSet', Position = 1)]
            [int] $cursorColumn = $inputScript.Length,

            [Parameter(ParameterSetName = 'AstInputSet', Mandatory = $true, Position = 0)]
            [System.Management.Automation.Language.Ast] $ast,

            [Parameter(ParameterSetName = 'AstInputSet', Mandatory = $true, Position = 1)]
            [System.Management.Automation.Language.Token[]] $tokens,

            [Parameter(ParameterSetName = 'AstInputSet', Mandatory = $true, Position = 2)]
            [System.Management.Automation.Language.IScriptPosition] $positionOfCursor,

            [Parameter(ParameterSetName = 'ScriptInputSet', Position = 2)]
            [Parameter(ParameterSetName = 'AstInputSet', Position = 3)]
            [Hashtable] $options = $null
        )

        $__OciRegistryCompletion = & ([OciRegistry.Completion.TabExpansionFallback]::Previous) @PSBoundParameters
        if ($null -eq $__OciRegistryCompletion -or $__OciRegistryCompletion.CompletionMatches.Count -eq 0) {
            if ($PSCmdlet.ParameterSetName -eq 'ScriptInputSet') {
                $__OciRegistryParsed = [System.Management.Automation.CommandCompletion]::MapStringInputToParsedInput($inputScript, $cursorColumn)
                $ast, $tokens, $positionOfCursor = $__OciRegistryParsed.Item1, $__OciRegistryParsed.Item2, $__OciRegistryParsed.Item3
            }

            $__OciRegistryFallback = [OciRegistry.Completion.TabExpansionFallback]::Complete($ast, $tokens, $positionOfCursor)
            if ($null -ne $__OciRegistryFallback) {
                return $__OciRegistryFallback
            }
        }

        $__OciRegistryCompletion
        """;
}
