using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace OciRegistry.Completion;

/// <summary>
/// The value of an argument as the user typed it (<c>"$($r.Host)/samples/hello:1.0"</c>, <c>$h/repo:</c>), worked
/// out for Tab completion without running anything: constants, variables read from the session, properties of
/// their values, indexes, and strings, subexpressions and parentheses made only of those. Method calls, commands,
/// assignments, operators, conversions and script properties are refused, so nothing with a side effect runs.
/// </summary>
/// <remarks>
/// PowerShell's own completion does the same with <c>SafeExprEvaluator</c> (CompletionCompleters.cs), which reads
/// variables and members but gives up on expandable strings; the reference grammar a completer needs is almost
/// always inside one. This evaluator walks the syntax tree itself and never hands it to the compiler.
/// </remarks>
internal static class SafeExpression
{
    // A bound on the work one argument can ask for: a completer runs while the user waits.
    private const int MaxNodes = 64;

    /// <summary>
    /// The text <paramref name="ast"/> stands for, or false when it is not made only of safe parts, names a
    /// variable that is not set, or comes to something other than text or a number.
    /// </summary>
    public static bool TryGetString(Ast ast, PSVariableIntrinsics? variables, out string value)
    {
        value = string.Empty;
        var nodes = 0;
        if (!TryEvaluate(ast, variables, ref nodes, out var result) || !TryFormat(result, out var text))
        {
            return false;
        }

        value = text;
        return true;
    }

    /// <summary>
    /// The variables of the session Tab completion runs in, seen from the scope completion runs in (so a function
    /// calling TabExpansion2 sees its own); null outside a runspace. <c>SessionStateProxy</c> refuses to answer
    /// while a pipeline runs, as one does during completion, so the engine's own <c>$ExecutionContext</c> is read.
    /// </summary>
    public static PSVariableIntrinsics? SessionVariables()
    {
        try
        {
            return ExecutionContextReader.Invoke().FirstOrDefault()?.BaseObject is EngineIntrinsics engine ? engine.SessionState.PSVariable : null;
        }
        catch (Exception)
        {
            // A completer must never throw at the prompt; without variables only constants are understood.
            return null;
        }
    }

    // Reading an automatic variable has no side effect; the script block is parsed once.
    private static readonly ScriptBlock ExecutionContextReader = ScriptBlock.Create("$ExecutionContext");

    private static bool TryEvaluate(Ast ast, PSVariableIntrinsics? variables, ref int nodes, out object? value)
    {
        value = null;
        if (++nodes > MaxNodes)
        {
            return false;
        }

        switch (ast)
        {
            case StringConstantExpressionAst text:
                value = text.Value;
                return true;
            case ConstantExpressionAst constant:
                value = constant.Value;
                return true;
            case ExpandableStringExpressionAst expandable:
                return TryExpand(expandable, variables, ref nodes, out value);
            case VariableExpressionAst variable:
                return TryRead(variable, variables, out value);
            case InvokeMemberExpressionAst:
                return false;
            case MemberExpressionAst member:
                return !member.Static && member.Member is StringConstantExpressionAst name
                    && TryEvaluate(member.Expression, variables, ref nodes, out var target)
                    && TryGetMember(target, name.Value, out value);
            case IndexExpressionAst index:
                return TryEvaluate(index.Target, variables, ref nodes, out var indexed)
                    && TryEvaluate(index.Index, variables, ref nodes, out var key)
                    && TryGetItem(indexed, key, out value);
            case SubExpressionAst sub:
                return sub.SubExpression.Traps is null && sub.SubExpression.Statements.Count == 1
                    && sub.SubExpression.Statements[0] is PipelineAst inner && inner.GetPureExpression() is { } innerExpression
                    && TryEvaluate(innerExpression, variables, ref nodes, out value);
            case ParenExpressionAst paren:
                return paren.Pipeline is PipelineAst pipeline && pipeline.GetPureExpression() is { } pure
                    && TryEvaluate(pure, variables, ref nodes, out value);
            default:
                return false;
        }
    }

    // "$a/b:`$c" → the literal parts between the nested expressions, with their escapes, around each value.
    private static bool TryExpand(ExpandableStringExpressionAst ast, PSVariableIntrinsics? variables, ref int nodes, out object? value)
    {
        value = null;
        var text = ast.Extent.Text;
        var start = ast.Extent.StartOffset;
        var (open, close) = Delimiters(ast.StringConstantType, text);
        var builder = new StringBuilder();
        var position = open;
        foreach (var nested in ast.NestedExpressions)
        {
            var nestedStart = nested.Extent.StartOffset - start;
            if (nestedStart < position || nested.Extent.EndOffset - start > text.Length - close)
            {
                return false;
            }

            AppendLiteral(builder, text.Substring(position, nestedStart - position), ast.StringConstantType);
            if (!TryEvaluate(nested, variables, ref nodes, out var part) || !TryFormat(part, out var formatted))
            {
                return false;
            }

            builder.Append(formatted);
            position = nested.Extent.EndOffset - start;
        }

        AppendLiteral(builder, text.Substring(position, text.Length - close - position), ast.StringConstantType);
        value = builder.ToString();
        return true;
    }

    // How many characters open and close the string's text: a string still being typed has no closing quote.
    private static (int Open, int Close) Delimiters(StringConstantType type, string text)
    {
        if (type == StringConstantType.DoubleQuoted && text.Length > 0 && IsDoubleQuote(text[0]))
        {
            var closed = text.Length > 1 && IsDoubleQuote(text[text.Length - 1]) && !IsEscaped(text, text.Length - 1);
            return (1, closed ? 1 : 0);
        }

        return (0, 0);
    }

    private static bool IsEscaped(string text, int index)
    {
        var backticks = 0;
        for (var i = index - 1; i >= 0 && text[i] == '`'; i--)
        {
            backticks++;
        }

        return backticks % 2 == 1;
    }

    // PowerShell accepts the typographic double quotes too (about_Quoting_Rules).
    private static bool IsDoubleQuote(char c) => c is '"' or '\u201C' or '\u201D' or '\u201E';

    private static void AppendLiteral(StringBuilder builder, string literal, StringConstantType type)
    {
        for (var i = 0; i < literal.Length; i++)
        {
            var c = literal[i];
            if (c == '`' && i + 1 < literal.Length)
            {
                builder.Append(Unescape(literal[++i]));
            }
            else if (type == StringConstantType.DoubleQuoted && IsDoubleQuote(c) && i + 1 < literal.Length && IsDoubleQuote(literal[i + 1]))
            {
                builder.Append(literal[++i]);
            }
            else
            {
                builder.Append(c);
            }
        }
    }

    // about_Special_Characters.
    private static char Unescape(char c) => c switch
    {
        '0' => '\0',
        'a' => '\a',
        'b' => '\b',
        'e' => '\u001B',
        'f' => '\f',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\v',
        _ => c,
    };

    // Variables of the session's scopes, and environment variables. Other drives ($function:, ${c:\file}) read
    // providers, $input is consumed by reading it, and $using: has no value here.
    private static bool TryRead(VariableExpressionAst ast, PSVariableIntrinsics? variables, out object? value)
    {
        value = null;
        var path = ast.VariablePath;
        if (ast.Splatted || path.UserPath.StartsWith("using:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (path.DriveName is { } drive && string.Equals(drive, "env", StringComparison.OrdinalIgnoreCase))
        {
            value = Environment.GetEnvironmentVariable(path.UserPath.Substring(drive.Length + 1));
            return value is not null;
        }

        if (variables is null || !(path.IsVariable || path.IsUnqualified)
            || string.Equals(path.UserPath, "input", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            value = variables.GetValue(path.UserPath);
        }
        catch (Exception)
        {
            return false;
        }

        return value is not null;
    }

    // A dictionary's key, or a property that holds a value: note properties and .NET properties, never a
    // script or code property, which would run code to answer.
    private static bool TryGetMember(object? target, string name, out object? value)
    {
        value = null;
        if (target is null)
        {
            return false;
        }

        if (Unwrap(target) is IDictionary dictionary)
        {
            return TryGetItem(dictionary, name, out value);
        }

        var property = PSObject.AsPSObject(target).Properties[name];
        if (property is not (PSNoteProperty or PSProperty or PSAdaptedProperty))
        {
            return false;
        }

        try
        {
            value = property.Value;
        }
        catch (Exception)
        {
            return false;
        }

        return value is not null;
    }

    private static bool TryGetItem(object? target, object? key, out object? value)
    {
        value = null;
        switch (Unwrap(target))
        {
            case IDictionary dictionary when key is not null:
                value = dictionary.Contains(key) ? dictionary[key] : null;
                break;
            case IList list when key is int i:
                var at = i < 0 ? list.Count + i : i;
                value = at >= 0 && at < list.Count ? list[at] : null;
                break;
        }

        return value is not null;
    }

    // A PSObject keeps its note properties on the wrapper, so members are looked up on it; types are checked on
    // what it wraps.
    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    // Text and numbers become text as string expansion would; anything else would need its ToString run.
    private static bool TryFormat(object? value, out string text)
    {
        var unwrapped = Unwrap(value);
        text = unwrapped switch
        {
            string s => s,
            char c => c.ToString(),
            int or long or short or byte or uint or ulong or ushort or sbyte or decimal or bool =>
                Convert.ToString(unwrapped, System.Globalization.CultureInfo.InvariantCulture)!,
            _ => null!,
        };
        return text is not null;
    }
}
