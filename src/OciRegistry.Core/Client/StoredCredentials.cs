using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OciRegistry.Core.Client;

/// <summary>
/// Finds the stored credential for a registry the way CI machines hold them, in this order:
/// <list type="number">
/// <item>Docker's config.json (<c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>), by docker's
/// rules: the helper <c>credHelpers</c> names for the registry; else the <c>credsStore</c> helper; else the
/// <c>auths</c> entry;</item>
/// <item>when that yields nothing, the containers auth files podman and skopeo write:
/// <c>$REGISTRY_AUTH_FILE</c>, <c>$XDG_RUNTIME_DIR/containers/auth.json</c>,
/// <c>$XDG_CONFIG_HOME/containers/auth.json</c> (default <c>~/.config/containers/auth.json</c>);</item>
/// <item>else none: anonymous access.</item>
/// </list>
/// A helper that is missing, holds nothing, fails or hangs does not stop the lookup: it becomes a warning and the
/// lookup carries on. A malformed file does stop it, with an error naming the file.
/// </summary>
/// <remarks>
/// Docker's rules: https://github.com/docker/cli/blob/master/cli/config/configfile/file.go (GetCredentialsStore).
/// Containers: https://github.com/containers/image/blob/main/docs/containers-auth.json.5.md.
/// </remarks>
internal sealed class StoredCredentials
{
    private readonly string _registry;
    private readonly string? _dockerConfigPath;
    private readonly IReadOnlyList<string>? _containersAuthPaths;
    private readonly TimeSpan _helperTimeout;
    private readonly string? _helperSearchPath;

    public StoredCredentials(string registry, string? dockerConfigPath, IReadOnlyList<string>? containersAuthPaths, TimeSpan helperTimeout, string? helperSearchPath = null)
    {
        _registry = registry;
        _dockerConfigPath = dockerConfigPath;
        _containersAuthPaths = containersAuthPaths;
        _helperTimeout = helperTimeout;
        _helperSearchPath = helperSearchPath;
    }

    /// <summary>The registry whose credential is looked up.</summary>
    public string Registry => _registry;

    /// <summary>The containers auth files, in the order podman reads them, from the environment.</summary>
    public static IReadOnlyList<string> DefaultContainersAuthPaths()
    {
        var paths = new List<string>();
        if (Environment.GetEnvironmentVariable("REGISTRY_AUTH_FILE") is { Length: > 0 } explicitFile)
        {
            paths.Add(explicitFile);
        }

        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
        {
            paths.Add(Path.Combine(runtime, "containers", "auth.json"));
        }

        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        paths.Add(Path.Combine(config, "containers", "auth.json"));
        return paths;
    }

    /// <summary>Looks the credential up; <see cref="Result.Warnings"/> says what was skipped and why.</summary>
    public async Task<Result> FindAsync(CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var docker = AuthFile.Load(_dockerConfigPath ?? DockerConfigCredentials.DefaultPath(), "Docker config");
        if (docker is not null)
        {
            var helper = docker.HelperFor(_registry);
            var store = helper ?? docker.CredsStore;
            if (store is not null)
            {
                var credential = await FromHelperAsync(store, helper is null ? "credsStore" : "credHelpers", docker.Path, warnings, cancellationToken).ConfigureAwait(false);
                if (credential is not null)
                {
                    return new Result(credential, $"{CredentialHelper.ExecutableName(store)} (from {docker.Path})", warnings);
                }
            }
            else if (docker.FindAuth(_registry) is { } credential)
            {
                return new Result(credential, $"the Docker config {docker.Path}", warnings);
            }
        }

        foreach (var path in _containersAuthPaths ?? DefaultContainersAuthPaths())
        {
            if (AuthFile.Load(path, "containers auth file")?.FindAuth(_registry, hostKeysOnly: true) is { } credential)
            {
                return new Result(credential, $"the containers auth file {path}", warnings);
            }
        }

        return new Result(null, null, warnings);
    }

    private async Task<RegistryCredential?> FromHelperAsync(string name, string setting, string configPath, List<string> warnings, CancellationToken cancellationToken)
    {
        var (outcome, credential, problem) = await CredentialHelper.GetAsync(
            name, DockerConfigCredentials.ServerUrlFor(_registry), _helperTimeout, _helperSearchPath, cancellationToken).ConfigureAwait(false);
        var helper = CredentialHelper.ExecutableName(name);
        switch (outcome)
        {
            case CredentialHelper.Outcome.Found:
                return credential;
            case CredentialHelper.Outcome.NotFound:
                warnings.Add($"The credential helper {helper} ({setting} in {configPath}) has no credentials for {_registry}; continuing without them.");
                break;
            case CredentialHelper.Outcome.Missing:
                warnings.Add($"The credential helper {helper} named by {setting} in {configPath} was not found on the PATH; continuing without its credentials for {_registry}.");
                break;
            case CredentialHelper.Outcome.TimedOut:
                warnings.Add($"The credential helper {helper} ({setting} in {configPath}) {problem}; continuing without its credentials for {_registry}.");
                break;
            default:
                warnings.Add($"The credential helper {helper} ({setting} in {configPath}) failed: {problem}; continuing without its credentials for {_registry}. Run '{helper} get' by hand to see why.");
                break;
        }

        return null;
    }

    /// <summary>What a lookup found.</summary>
    internal sealed class Result(RegistryCredential? credential, string? source, IReadOnlyList<string> warnings)
    {
        /// <summary>The credential, or null for anonymous access.</summary>
        public RegistryCredential? Credential { get; } = credential;

        /// <summary>Where it came from, for verbose output (never the secret).</summary>
        public string? Source { get; } = source;

        /// <summary>Helpers that were skipped, and why.</summary>
        public IReadOnlyList<string> Warnings { get; } = warnings;
    }
}
