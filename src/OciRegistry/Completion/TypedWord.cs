using System.Management.Automation.Language;

namespace OciRegistry.Completion;

/// <summary>The argument being completed: the quote it opened, the text it stands for, and what was typed.</summary>
internal sealed class TypedWord
{
    private TypedWord(string quote, string value, string? source)
    {
        Quote = quote;
        Value = value;
        Source = source;
    }

    /// <summary>The quote the user opened (<c>'</c> or <c>"</c>), or empty for a bare word.</summary>
    public string Quote { get; }

    /// <summary>The text the argument stands for, without quotes: a variable's value in place of the variable.</summary>
    public string Value { get; }

    /// <summary>
    /// For an expression (<c>"$($r.Host)/repo:</c>), the text typed between the quotes, which a completion keeps;
    /// null for a constant, which a completion may rewrite.
    /// </summary>
    public string? Source { get; }

    /// <summary>A word as PowerShell passes it to a completer: a constant, perhaps with its quotes.</summary>
    public static TypedWord FromWord(string? word)
    {
        word ??= string.Empty;
        var quote = word.Length > 0 && word[0] is '\'' or '"' ? word.Substring(0, 1) : string.Empty;
        return new TypedWord(quote, word.Substring(quote.Length).TrimEnd('\'', '"'), null);
    }

    /// <summary>
    /// The word for the argument of <paramref name="parameterName"/>: a string with variables or subexpressions
    /// is evaluated safely (<see cref="SafeExpression"/>); null when that cannot be done, so nothing is offered.
    /// Anything else is taken as PowerShell passed it.
    /// </summary>
    public static TypedWord? ForCompletion(CommandAst? commandAst, string parameterName, string? wordToComplete)
    {
        if (BoundArguments.Find(commandAst, parameterName) is not ExpandableStringExpressionAst expandable)
        {
            return FromWord(wordToComplete);
        }

        if (!SafeExpression.TryGetString(expandable, SafeExpression.SessionVariables(), out var value))
        {
            return null;
        }

        var text = expandable.Extent.Text;
        var quoted = expandable.StringConstantType == StringConstantType.DoubleQuoted;
        var source = quoted ? text.Substring(1) : text;
        if (quoted && source.Length > 0 && source[source.Length - 1] is '"' or '\u201C' or '\u201D' or '\u201E'
            && !(source.Length > 1 && source[source.Length - 2] == '`'))
        {
            source = source.Substring(0, source.Length - 1);
        }

        return new TypedWord(quoted ? "\"" : string.Empty, value, source);
    }
}
