using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace OciRegistry.LoadContext;

/// <summary>
/// A private, named load context for the module's own dependencies (OciRegistry.Core, OciRegistry.TestRegistry,
/// Polly, …), so that another
/// module that loaded a different Polly first cannot break ours, and ours cannot break theirs. Assemblies the host
/// already carries (the framework, and what PowerShell ships, such as System.Text.Json and
/// Microsoft.Bcl.AsyncInterfaces) resolve from the host: a second copy of a type that crosses into PowerShell
/// would be a different type.
/// </summary>
/// <remarks>After PSResourceGet's ModuleInitAndCleanup and PSToml's LoadContext.</remarks>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    /// <summary>The assemblies the cmdlets reference by name; the default context is sent here for these only.</summary>
    private static readonly string[] ModuleAssemblies = ["OciRegistry.Core", "OciRegistry.TestRegistry"];

    private static readonly object Gate = new();
    private static DependencyLoadContext? _instance;
    private static bool _hooked;
    private readonly string _folder;
    private readonly HashSet<string> _hostAssemblies;

    private DependencyLoadContext(string folder)
        : base("OciRegistry", isCollectible: false)
    {
        _folder = folder;
        _hostAssemblies = HostAssemblies();
    }

    /// <summary>
    /// Makes the default context answer requests for the module's own assemblies (and only those) from the private
    /// context. Idempotent; <see cref="Unhook"/> undoes it, and a later call hooks again.
    /// </summary>
    public static void Hook(string dependencyFolder)
    {
        lock (Gate)
        {
            // One context per process: an assembly loaded into it stays, so a re-import after Remove-Module must
            // find the same one. Only the hook comes and goes.
            _instance ??= new DependencyLoadContext(dependencyFolder);
            if (!_hooked)
            {
                Default.Resolving += ResolveCore;
                _hooked = true;
            }
        }
    }

    /// <summary>Removes the hook from the default context (module removal).</summary>
    public static void Unhook()
    {
        lock (Gate)
        {
            Default.Resolving -= ResolveCore;
            _hooked = false;
        }
    }

    /// <inheritdoc/>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name;
        if (name is null || _hostAssemblies.Contains(name))
        {
            return null;
        }

        var path = Path.Combine(_folder, name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    private static Assembly? ResolveCore(AssemblyLoadContext context, AssemblyName name)
    {
        if (Array.IndexOf(ModuleAssemblies, name.Name) < 0)
        {
            return null;
        }

        var instance = _instance!;
        return instance.LoadFromAssemblyPath(Path.Combine(instance._folder, name.Name + ".dll"));
    }

    private static HashSet<string> HostAssemblies()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
        {
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                names.Add(Path.GetFileNameWithoutExtension(path));
            }
        }

        return names;
    }
}
