using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace OciRegistry.Hosting;

/// <summary>
/// Makes the module's dependencies in <c>dependencies/</c> loadable without putting them where other modules
/// would collide with them. On PowerShell 7 a private, named load context (from the small net8.0 loader
/// assembly) serves OciRegistry.Core and everything it pulls in; on Windows PowerShell, which has no load
/// contexts, the dependencies load by path when the host cannot find them. Undone by <see cref="ModuleCleanup"/>.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static readonly string DependencyFolder = Path.Combine(
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies");

    private static MethodInfo? _unhook;

    /// <summary>Whether this process runs on .NET (PowerShell 7) rather than .NET Framework (Windows PowerShell).</summary>
    internal static bool IsCore => !RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    /// <summary>Hooks assembly resolution.</summary>
    public void OnImport()
    {
        if (IsCore)
        {
            var loader = Assembly.LoadFrom(Path.Combine(DependencyFolder, "OciRegistry.LoadContext.dll"));
            var type = loader.GetType("OciRegistry.LoadContext.DependencyLoadContext", throwOnError: true)!;
            type.GetMethod("Hook")!.Invoke(null, [DependencyFolder]);
            _unhook = type.GetMethod("Unhook");
            return;
        }

        AppDomain.CurrentDomain.AssemblyResolve += Resolve;
    }

    /// <summary>Unhooks assembly resolution.</summary>
    internal static void Unhook()
    {
        _unhook?.Invoke(null, null);
        AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
    }

    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        var name = new AssemblyName(args.Name).Name;
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var path = Path.Combine(DependencyFolder, name + ".dll");
        return File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }
}
