using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using OciRegistry.Core.Client;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Hosting;

namespace OciRegistry.Completion;

/// <summary>What every completer shares: the connection switches already typed, the registry queries, the results.</summary>
internal static class Completions
{
    /// <summary>
    /// Completion results for the <paramref name="values"/> that, after <paramref name="prefix"/>, start with what is
    /// typed (case-insensitively). The quote the user opened is kept, and each value is escaped for it, so that a
    /// completion stays one valid string whatever a registry answered. When the typed text is an expression
    /// (<c>"$($r.Host)/repo:</c>) it is kept as typed and only the value is added to it.
    /// </summary>
    public static IEnumerable<CompletionResult> Results(TypedWord word, IEnumerable<string> values, string prefix = "", IReadOnlyList<KeyValuePair<string, string>>? tips = null)
    {
        foreach (var value in values)
        {
            var text = prefix + value;
            if (!text.StartsWith(word.Value, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var (kept, added) = Split(word, prefix, value);
            var completion = word.Quote.Length > 0 ? word.Quote + kept + Escape(added, word.Quote) + word.Quote
                : Regex.IsMatch(added, @"^[\w.:/@+-]*$") ? kept + added
                : kept.Length > 0 ? "\"" + kept + Escape(added, "\"") + "\""
                : "'" + text.Replace("'", "''") + "'";
            var tip = tips?.FirstOrDefault(t => t.Key == value).Value ?? text;
            yield return new CompletionResult(completion, value, CompletionResultType.ParameterValue, tip);
        }
    }

    /// <summary>The results for a word as PowerShell passed it (a constant, quoted or not).</summary>
    public static IEnumerable<CompletionResult> Results(string? word, IEnumerable<string> values, string prefix = "", IReadOnlyList<KeyValuePair<string, string>>? tips = null) =>
        Results(TypedWord.FromWord(word), values, prefix, tips);

    // What stays as typed, and what is added: for an expression that ends in the part being completed, the
    // expression up to that part, then the value; otherwise (a constant) nothing kept, the whole text added.
    private static (string Kept, string Added) Split(TypedWord word, string prefix, string value)
    {
        if (word.Source is { } source && word.Value.Length >= prefix.Length)
        {
            var partial = word.Value.Substring(prefix.Length);
            if (source.EndsWith(partial, StringComparison.Ordinal))
            {
                return (source.Substring(0, source.Length - partial.Length), value);
            }
        }

        return (string.Empty, prefix + value);
    }

    // Escapes what a registry named so that it stays literal text inside the quote: no $(...) from a hostile tag
    // list runs when the completed line does (about_Quoting_Rules, about_Special_Characters).
    private static string Escape(string text, string quote)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (quote == "'" && c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B')
            {
                builder.Append(c);
            }
            else if (quote != "'" && c is '`' or '$' or '"' or '\u201C' or '\u201D' or '\u201E')
            {
                builder.Append('`');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>The tags of <c>registry/repository</c>, cached; nothing when the registry cannot say in time.</summary>
    public static string[] Tags(string repository, IDictionary bound) =>
        Query("tags", repository, bound, async (reference, options, token) =>
        {
            using var client = new RegistryClient(reference.Registry, options);
            var tags = new List<string>();
            await foreach (var tag in client.ListTagsAsync(reference.Repository, cancellationToken: token).ConfigureAwait(false))
            {
                tags.Add(tag);
            }

            return tags;
        }, Reference.ParseRepository);

    /// <summary>The repositories of a registry's catalog, cached; nothing when it has no catalog or cannot say in time.</summary>
    public static string[] Repositories(string registry, IDictionary bound) =>
        Query("repositories", registry, bound, async (name, options, token) =>
        {
            using var client = new RegistryClient(name, options);
            var repositories = new List<string>();
            await foreach (var repository in client.ListRepositoriesAsync(cancellationToken: token).ConfigureAwait(false))
            {
                repositories.Add(repository);
            }

            return repositories;
        }, name => name);

    /// <summary>The platforms of the index <paramref name="reference"/> names (not attestations); nothing for a single manifest.</summary>
    public static string[] Platforms(string reference, IDictionary bound) =>
        Query("platforms", reference, bound, async (parsed, options, token) =>
        {
            using var client = new RegistryClient(parsed.Registry, options);
            var document = await client.GetManifestAsync(parsed, token).ConfigureAwait(false);
            return document is ImageIndex index ? PlatformManifests.Of(index).Select(p => p.ToString()).Distinct() : [];
        }, Reference.Parse);

    private static string[] Query<T>(string kind, string subject, IDictionary bound, Func<T, ClientOptions, CancellationToken, Task<IEnumerable<string>>> fetch, Func<string, T> parse)
    {
        var allowInsecure = Switch(bound, "AllowInsecure");
        var skipCertificateCheck = Switch(bound, "SkipCertificateCheck");
        var credential = bound.Contains("Credential") ? bound["Credential"] as PSCredential : null;
        var key = $"{kind}|{subject}|{allowInsecure}|{skipCertificateCheck}|{credential?.UserName}";
        return CompletionCache.Get(key, async token =>
        {
            T parsed;
            try
            {
                parsed = parse(subject);
            }
            catch (InvalidReferenceException)
            {
                return [];
            }

            var options = RegistryCmdlet.Connection(allowInsecure, skipCertificateCheck, credential);
            return await fetch(parsed, options, token).ConfigureAwait(false);
        });
    }

    private static bool Switch(IDictionary bound, string name) =>
        bound.Contains(name) && bound[name] switch
        {
            SwitchParameter s => s.IsPresent,
            bool b => b,
            _ => false,
        };
}

/// <summary>
/// -Platform: the platforms of the index -Reference (or -ReferenceObject) names; the common ones only when no reference is given at all.
/// A reference that cannot be worked out without running code (<c>"$(Get-Random)/x:1"</c>) gets nothing: a list
/// that only looks like the image's would be worse than none.
/// </summary>
public sealed class PlatformCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        // Compare-OciImage names its first image -ReferenceObject.
        var state = BoundArguments.Get(commandAst, fakeBoundParameters, "Reference", out var reference);
        if (state == ArgumentState.Absent)
        {
            state = BoundArguments.Get(commandAst, fakeBoundParameters, "ReferenceObject", out reference);
        }

        var platforms = state switch
        {
            ArgumentState.Known => Completions.Platforms(reference, fakeBoundParameters),
            ArgumentState.Absent => KnownTypes.Platforms,
            _ => [],
        };
        return Completions.Results(wordToComplete, platforms).ToList();
    }
}

/// <summary>
/// -Reference: <c>registry/partial</c> completes to the repositories of the registry's catalog, and
/// <c>registry/repository:partial</c> to the repository's tags. The first part counts as a registry only when the
/// reference grammar says so (it has a dot or a port, or is localhost): <c>team/ap</c> is a Docker Hub repository,
/// and Docker Hub offers no catalog to ask. A reference written with variables (<c>"$($r.Host)/samples/hello:</c>)
/// is evaluated safely and completed as typed.
/// </summary>
public class ReferenceCompleter : IArgumentCompleter
{
    private static readonly Regex RegistryAndPartial = new(@"^(?<registry>localhost(:\d+)?|[^\s/@'""]*[.:][^\s/@'""]*)/(?<partial>[^\s@:'""]*)$");
    private static readonly Regex RepositoryAndTag = new(@"^(?<repository>[^\s@'""]*/[^\s@'""/:]+):(?<tag>[\w.-]*)$");

    /// <summary>Whether <c>repository:partial</c> completes to tags; not where a repository alone is taken.</summary>
    protected virtual bool CompletesTags => true;

    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (TypedWord.ForCompletion(commandAst, parameterName, wordToComplete) is not { } word)
        {
            return [];
        }

        if (RegistryAndPartial.Match(word.Value) is { Success: true } registry)
        {
            var name = registry.Groups["registry"].Value;
            return Completions.Results(word, Completions.Repositories(name, fakeBoundParameters).OrderBy(r => r, StringComparer.OrdinalIgnoreCase), name + "/").ToList();
        }

        if (CompletesTags && RepositoryAndTag.Match(word.Value) is { Success: true } tagged)
        {
            var repository = tagged.Groups["repository"].Value;
            return Completions.Results(word, Completions.Tags(repository, fakeBoundParameters), repository + ":").ToList();
        }

        return [];
    }
}

/// <summary>
/// -Reference where a repository is taken (Get-OciTag) or a repository with a digest (Get-OciBlob, Save-OciBlob):
/// <c>registry/partial</c> completes to the repositories of the registry's catalog; no tags.
/// </summary>
public sealed class RepositoryCompleter : ReferenceCompleter
{
    /// <inheritdoc/>
    protected override bool CompletesTags => false;
}

/// <summary>-Registry of Get-OciRepository: the hosts of the test registries running in this session.</summary>
public sealed class RegistryCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Results(wordToComplete, Output.OciTestRegistry.AllRunning().Select(r => r.Host).Distinct()).ToList();
}

/// <summary>-Tag with -Registry and -Repository: that repository's tags.</summary>
public sealed class TagCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        BoundArguments.Get(commandAst, fakeBoundParameters, "Registry", out var registry) == ArgumentState.Known
        && BoundArguments.Get(commandAst, fakeBoundParameters, "Repository", out var repository) == ArgumentState.Known
            ? Completions.Results(wordToComplete, Completions.Tags(registry + "/" + repository, fakeBoundParameters)).ToList()
            : [];
}

/// <summary>-ArtifactType of Get-OciReferrer: the artifact types signers and SBOM tools attach, each explained.</summary>
public sealed class ArtifactTypeCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Results(wordToComplete, KnownTypes.ArtifactTypeNames.Select(t => t.Key), tips: KnownTypes.ArtifactTypeNames).ToList();
}
