using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
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
/// <remarks>
/// After PSResourceGet's ModuleInitAndCleanup and PSToml's LoadContext. On .NET 10 or later, the assemblies that
/// <c>ready-to-run/&lt;rid&gt;/</c> beside the dependencies holds for this operating system and processor (say
/// <c>linux-x64</c>) are loaded from there: compiled ahead of time to native code (our own from the same IL,
/// Polly and ZstdSharp in their newest builds, with the facades those go with), so a fresh pwsh spends less of its
/// first command in the JIT. Any other runtime, a platform without such a folder, or a folder missing a file its
/// list names, loads the plain copies; the runtime itself falls back to the IL when it cannot use the native code.
/// </remarks>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    /// <summary>The assemblies the cmdlets reference by name; the default context is sent here for these only.</summary>
    private static readonly string[] ModuleAssemblies = ["OciRegistry.Core", "OciRegistry.TestRegistry"];

    private static readonly object Gate = new();
    private static DependencyLoadContext? _instance;
    private static bool _hooked;
    private readonly string _folder;
    private readonly string? _precompiledFolder;
    private readonly HashSet<string> _hostAssemblies;

    private DependencyLoadContext(string folder)
        : base("OciRegistry", isCollectible: false)
    {
        _folder = folder;
        _precompiledFolder = PrecompiledFolder(folder);
        _hostAssemblies = HostAssemblies();
    }

    /// <summary>
    /// The runtime identifier whose precompiled assemblies this process can use (<c>linux-x64</c>, <c>win-arm64</c>,
    /// <c>osx-arm64</c>…), or null: they were compiled against .NET 10, so an older runtime takes the IL.
    /// </summary>
    public static string? PrecompiledRuntime()
    {
        if (Environment.Version.Major < 10)
        {
            return null;
        }

        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsLinux() ? "linux" : null;
        var architecture = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            _ => null,
        };
        return os is null || architecture is null ? null : os + "-" + architecture;
    }

    /// <summary>The list the build writes into each precompiled folder: one file name a line, every file it put there.</summary>
    public const string ContentsFile = "contents.txt";

    /// <summary>
    /// The precompiled folder for this runtime, whole or not at all: its copies are other builds than the plain ones
    /// (Polly's net10.0 build takes the runtime's TimeProvider, the plain one the package's), so a folder missing
    /// one of the files its list names must not mix with the plain copies. Then none of it is used.
    /// </summary>
    private static string? PrecompiledFolder(string folder)
    {
        var runtime = PrecompiledRuntime();
        if (runtime is null)
        {
            return null;
        }

        var path = Path.Combine(folder, "ready-to-run", runtime);
        var list = Path.Combine(path, ContentsFile);
        if (!File.Exists(list))
        {
            return null;
        }

        var names = File.ReadAllLines(list).Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
        return names.Count > 0 && names.All(name => name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && Path.GetFileName(name) == name && File.Exists(Path.Combine(path, name)))
            ? path
            : null;
    }

    // The precompiled copy when there is one, else the plain one.
    private string PathOf(string name)
    {
        if (_precompiledFolder is not null)
        {
            var precompiled = Path.Combine(_precompiledFolder, name + ".dll");
            if (File.Exists(precompiled))
            {
                return precompiled;
            }
        }

        return Path.Combine(_folder, name + ".dll");
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

        var path = PathOf(name);
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    private static Assembly? ResolveCore(AssemblyLoadContext context, AssemblyName name)
    {
        if (Array.IndexOf(ModuleAssemblies, name.Name) < 0)
        {
            return null;
        }

        var instance = _instance!;
        return instance.LoadFromAssemblyPath(instance.PathOf(name.Name!));
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
