using System;

namespace OciRegistry.Core.References;

/// <summary>A reference, repository name, tag, digest or platform text that does not follow the grammar.</summary>
public sealed class InvalidReferenceException : OciException
{
    /// <summary>Creates the exception for <paramref name="input"/>, saying what is wrong with it.</summary>
    public InvalidReferenceException(string input, string problem)
        : base($"'{Shorten(input)}' is not a valid reference: {problem}")
    {
        Input = input;
        Problem = problem;
    }

    /// <summary>The text that was rejected.</summary>
    public string Input { get; }

    /// <summary>What is wrong with it, without the input itself.</summary>
    public string Problem { get; }

    private static string Shorten(string input) =>
        input.Length <= 300 ? input : input.Substring(0, 300) + "…";
}
