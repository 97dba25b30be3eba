using System;
using System.Linq;
using OciRegistry.Core.References;

namespace OciRegistry.Core.Tests;

public sealed class ArchitectureTests
{
    /// <summary>STYLE.md §3: the core has no PowerShell reference, so it can be used and tested without a host.</summary>
    [Fact]
    public void CoreAssembly_References_NoPowerShell()
    {
        var references = typeof(Reference).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty).ToList();

        Assert.NotEmpty(references);
        Assert.DoesNotContain(references, name => name.Equals("System.Management.Automation", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.PowerShell", StringComparison.OrdinalIgnoreCase));
    }
}
