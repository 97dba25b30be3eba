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
    /// Completion results for the <paramref name="values"/> that start with <paramref name="word"/> (case-insensitively),
    /// keeping the quote the user opened and quoting values that would not survive as bare words.
    /// </summary>
    public static IEnumerable<CompletionResult> Results(string? word, IEnumerable<string> values, string prefix = "", IReadOnlyList<KeyValuePair<string, string>>? tips = null)
    {
        word ??= string.Empty;
        var quote = word.Length > 0 && word[0] is '\'' or '"' ? word.Substring(0, 1) : string.Empty;
        word = word.Substring(quote.Length).TrimEnd('\'', '"');
        foreach (var value in values)
        {
            var text = prefix + value;
            if (!text.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var completion = quote.Length > 0 ? quote + text + quote
                : Regex.IsMatch(text, @"^[\w.:/@+-]+$") ? text
                : "'" + text.Replace("'", "''") + "'";
            var tip = tips?.FirstOrDefault(t => t.Key == value).Value ?? text;
            yield return new CompletionResult(completion, value, CompletionResultType.ParameterValue, tip);
        }
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
            return document is ImageIndex index
                ? index.Manifests.Where(d => d.Platform is not null).Select(d => d.Platform!.ToString()).Where(p => p != "unknown/unknown").Distinct()
                : [];
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

/// <summary>-Platform: the platforms of the index -Reference names, else the common ones.</summary>
public sealed class PlatformCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var platforms = fakeBoundParameters["Reference"] is string { Length: > 0 } reference
            ? Completions.Platforms(reference, fakeBoundParameters)
            : KnownTypes.Platforms;
        return Completions.Results(wordToComplete, platforms).ToList();
    }
}

/// <summary>
/// -Reference: <c>registry/partial</c> completes to the repositories of the registry's catalog, and
/// <c>registry/repository:partial</c> (not for Get-OciTag, which takes a repository) to the repository's tags. The
/// first part counts as a registry only when the reference grammar says so (it has a dot or a port, or is
/// localhost): <c>team/ap</c> is a Docker Hub repository, and Docker Hub offers no catalog to ask.
/// </summary>
public sealed class ReferenceCompleter : IArgumentCompleter
{
    private static readonly Regex RegistryAndPartial = new(@"^(?<registry>localhost(:\d+)?|[^\s/@'""]*[.:][^\s/@'""]*)/(?<partial>[^\s@:'""]*)$");
    private static readonly Regex RepositoryAndTag = new(@"^(?<repository>[^\s@'""]*/[^\s@'""/:]+):(?<tag>[\w.-]*)$");

    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        if (RegistryAndPartial.Match(word) is { Success: true } registry)
        {
            var name = registry.Groups["registry"].Value;
            return Completions.Results(wordToComplete, Completions.Repositories(name, fakeBoundParameters).OrderBy(r => r, StringComparer.OrdinalIgnoreCase), name + "/").ToList();
        }

        if (!string.Equals(commandName, "Get-OciTag", StringComparison.OrdinalIgnoreCase) && RepositoryAndTag.Match(word) is { Success: true } tagged)
        {
            var repository = tagged.Groups["repository"].Value;
            return Completions.Results(wordToComplete, Completions.Tags(repository, fakeBoundParameters), repository + ":").ToList();
        }

        return [];
    }
}

/// <summary>-Tag with -Registry and -Repository: that repository's tags.</summary>
public sealed class TagCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        fakeBoundParameters["Registry"] is string { Length: > 0 } registry && fakeBoundParameters["Repository"] is string { Length: > 0 } repository
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
