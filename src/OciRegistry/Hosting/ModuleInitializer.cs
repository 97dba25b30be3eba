using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace OciRegistry.Hosting;

/// <summary>
/// Resolves the module's own dependencies from its <c>dependencies/</c> folder, so that they stay out of the
/// module root and load only when the host cannot supply them. Undone by <see cref="ModuleCleanup"/>.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static readonly string DependencyFolder = Path.Combine(
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies");

    /// <summary>Hooks assembly resolution.</summary>
    public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

    /// <summary>Unhooks assembly resolution.</summary>
    internal static void Unhook() => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

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
