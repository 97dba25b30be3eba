using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using OciRegistry.Core.References;
using OciRegistry.Core.Tests.Support;
using OciRegistry.TestRegistry;

namespace OciRegistry.Core.Tests;

/// <summary>
/// The layering, checked on the compiled assemblies (after go-containerregistry's depcheck): which part of the
/// module may use which. A use that crosses the wrong way fails with the two parts and the types that crossed.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>
    /// What each part may use besides itself. <c>Core</c> is the root namespace (the exception family and content
    /// kinds) and <c>LocalFiles</c> the file opener that refuses links: both sit below everything. The cmdlets, in
    /// their own assembly, may use every part and are not listed.
    /// </summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Core"] = [],
        ["LocalFiles"] = ["Core"],
        ["References"] = ["Core"],
        ["Models"] = ["Core", "References"],
        ["Layout"] = ["Core", "LocalFiles", "References", "Models"],
        ["Tls"] = ["Core", "LocalFiles"],
        // Client's push partial returns Push's result record (ManifestPushResult): the one use that way round.
        ["Client"] = ["Core", "LocalFiles", "References", "Models", "Tls", "Push"],
        ["Transfer"] = ["Core", "LocalFiles", "References", "Models", "Layout", "Client", "Tls"],
        ["Extraction"] = ["Core", "LocalFiles", "References", "Models", "Layout", "Client", "Transfer", "Archive"],
        ["TestRegistry"] = ["Core", "LocalFiles", "References", "Models", "Layout"],
        ["Archive"] = ["Core"],
        ["Push"] = ["Core", "LocalFiles", "References", "Models", "Layout", "Client", "Transfer"],
    };

    private static readonly Assembly CoreAssembly = typeof(Reference).Assembly;
    private static readonly Assembly TestRegistryAssembly = typeof(TestRegistryServer).Assembly;

    /// <summary>STYLE.md §3: the core has no PowerShell reference, so it can be used and tested without a host.</summary>
    [Fact]
    public void CoreAssembly_References_NoPowerShell()
    {
        var references = typeof(Reference).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty).ToList();

        Assert.NotEmpty(references);
        Assert.DoesNotContain(references, name => name.Equals("System.Management.Automation", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.PowerShell", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void TestRegistryAssembly_References_CoreButNoPowerShell()
    {
        var references = TestRegistryAssembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty).ToList();

        Assert.Contains("OciRegistry.Core", references);
        Assert.DoesNotContain(references, name => name.Equals("System.Management.Automation", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.PowerShell", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void CoreAssembly_HoldsNoTestRegistryType_AndReferencesNoTestRegistryAssembly()
    {
        Assert.DoesNotContain(CoreAssembly.GetReferencedAssemblies(), name => name.Name == TestRegistryAssembly.GetName().Name);
        Assert.Empty(CoreAssembly.GetTypes().Where(type => type.Namespace?.Contains("TestRegistry", StringComparison.Ordinal) == true).Select(type => type.FullName));
    }

    [Fact]
    public void EveryPart_UsesOnlyWhatItMay()
    {
        var wrong = Crossings()
            .Where(use => !Allowed[use.From].Contains(use.To))
            .GroupBy(use => (use.From, use.To))
            .Select(group => $"{group.Key.From} may not use {group.Key.To}, but " +
                string.Join("; ", group.Select(use => $"{use.User.FullName} uses {use.Used.FullName}").Distinct().Take(5)))
            .ToList();

        Assert.True(wrong.Count == 0, "wrong-way uses:\n" + string.Join("\n", wrong));
    }

    /// <summary>Core and the test registry say what is wrong; which switch to use is the cmdlets' word (ErrorMapping).</summary>
    [Fact]
    public void CoreAndTestRegistryMessages_NameNoCmdletParameter()
    {
        var switches = new System.Text.RegularExpressions.Regex(@"(^|[\s('""])-[A-Z][a-z]+[A-Za-z]*\b");
        var named = TypeUses.Literals(CoreAssembly).Concat(TypeUses.Literals(TestRegistryAssembly))
            .Where(literal => switches.IsMatch(literal.Text))
            .Select(literal => $"{literal.User.FullName}: {literal.Text}")
            .Distinct()
            .ToList();

        Assert.True(named.Count == 0, "messages that name a cmdlet parameter:\n" + string.Join("\n", named));
    }

    [Fact]
    public void LiteralScan_SeesMessages()
    {
        Assert.Contains(TypeUses.Literals(CoreAssembly), literal => literal.Text.Contains("is not a valid reference", StringComparison.Ordinal));
    }

    /// <summary>The scan sees real uses, so an empty list of wrong ones means something.</summary>
    [Fact]
    public void Scan_SeesTheArrowsThatAreThere()
    {
        var arrows = Crossings().Select(use => (use.From, use.To)).ToHashSet();

        Assert.Contains(("Models", "References"), arrows);
        Assert.Contains(("Client", "Models"), arrows);
        Assert.Contains(("Transfer", "Client"), arrows);
        Assert.Contains(("Layout", "LocalFiles"), arrows);
        Assert.Contains(("TestRegistry", "Layout"), arrows);
    }

    [Fact]
    public void EveryNamespace_BelongsToAPart()
    {
        var unknown = CoreAssembly.GetTypes().Concat(TestRegistryAssembly.GetTypes())
            .Select(type => type.Namespace)
            .Where(name => name?.StartsWith("OciRegistry", StringComparison.Ordinal) == true && Part(name) is null)
            .Distinct()
            .ToList();

        Assert.True(unknown.Count == 0, "namespaces outside every part (add them to the layering): " + string.Join(", ", unknown));
    }

    private static IEnumerable<(string From, string To, Type User, Type Used)> Crossings() =>
        TypeUses.Of(CoreAssembly).Concat(TypeUses.Of(TestRegistryAssembly))
            .Select(use => (From: Part(use.User.Namespace), To: Part(use.Used.Namespace), use.User, use.Used))
            .Where(use => use.From is not null && use.To is not null && use.From != use.To)
            .Select(use => (use.From!, use.To!, use.User, use.Used));

    /// <summary>The part a namespace belongs to; null for what is not the module's (System, Polly…).</summary>
    private static string? Part(string? name) => name switch
    {
        null => null,
        "OciRegistry.Core" => "Core",
        _ when name == "OciRegistry.TestRegistry" || name.StartsWith("OciRegistry.TestRegistry.", StringComparison.Ordinal) => "TestRegistry",
        _ when name.StartsWith("OciRegistry.Core.", StringComparison.Ordinal) && !name.StartsWith("OciRegistry.Core.Tests", StringComparison.Ordinal) =>
            Allowed.ContainsKey(name.Substring("OciRegistry.Core.".Length)) ? name.Substring("OciRegistry.Core.".Length) : null,
        _ => null,
    };
}
