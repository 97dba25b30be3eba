using System;
using System.Collections;
using System.Management.Automation.Language;

namespace OciRegistry.Completion;

/// <summary>Whether another parameter's argument is known to a completer.</summary>
internal enum ArgumentState
{
    /// <summary>Not given, and not able to come from the pipeline.</summary>
    Absent,

    /// <summary>Given (or piped), but not something that can be worked out without running code.</summary>
    Unknown,

    /// <summary>Given, as a constant or as an expression evaluated safely.</summary>
    Known,
}

/// <summary>
/// The other arguments of the command being completed. PowerShell's <c>fakeBoundParameters</c> holds only
/// constants; a reference written as <c>"$($r.Host)/samples/hello:1.0"</c> is missing from it, so the command's
/// syntax tree is bound again here and such an argument evaluated with <see cref="SafeExpression"/>.
/// </summary>
internal static class BoundArguments
{
    /// <summary>The text of parameter <paramref name="name"/>'s argument, and whether it is known at all.</summary>
    public static ArgumentState Get(CommandAst? commandAst, IDictionary fakeBoundParameters, string name, out string value)
    {
        value = string.Empty;
        if (fakeBoundParameters[name] is string { Length: > 0 } constant)
        {
            value = constant;
            return ArgumentState.Known;
        }

        if (commandAst is null)
        {
            return ArgumentState.Absent;
        }

        if (Find(commandAst, name) is not { } argument)
        {
            // After a pipe, the argument may come from the input: nothing can be said about it.
            return commandAst.Parent is PipelineAst pipeline && pipeline.PipelineElements.IndexOf(commandAst) > 0
                ? ArgumentState.Unknown
                : ArgumentState.Absent;
        }

        return SafeExpression.TryGetString(argument, SafeExpression.SessionVariables(), out value) && value.Length > 0
            ? ArgumentState.Known
            : ArgumentState.Unknown;
    }

    /// <summary>The syntax of the argument bound to <paramref name="name"/>, or null when there is none.</summary>
    public static ExpressionAst? Find(CommandAst? commandAst, string name)
    {
        if (commandAst is null)
        {
            return null;
        }

        try
        {
            var binding = StaticParameterBinder.BindCommand(commandAst, resolve: true);
            return binding.BoundParameters.TryGetValue(name, out var bound) ? bound.Value as ExpressionAst : null;
        }
        catch (Exception)
        {
            // A completer must never throw at the prompt.
            return null;
        }
    }
}
