using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using OciRegistry.Core.Layout;
using OciRegistry.Core.References;
using OciRegistry.Core.TestRegistry;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// <para type="synopsis">Starts an in-process OCI registry on 127.0.0.1 for tests, serving OCI layout folders and sample content.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "OciTestRegistry", SupportsShouldProcess = true)]
[OutputType(typeof(OciTestRegistry))]
public sealed class StartOciTestRegistryCommand : AsyncPSCmdlet
{
    /// <summary>OCI image layout folders to serve, one repository each.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "LiteralPath")]
    public string[] Path { get; set; } = [];

    /// <summary>The repository name for the layouts; by default each folder's name.</summary>
    [Parameter]
    public string? Repository { get; set; }

    /// <summary>The TCP port; by default a free one.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    /// <summary>Adds the built-in sample content (repository <c>samples/hello</c>) the demo uses.</summary>
    [Parameter]
    public SwitchParameter SampleContent { get; set; }

    private readonly List<string> _layouts = [];

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var path in Path)
        {
            _layouts.AddRange(GetResolvedProviderPathFromPSPath(path, out _));
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (Repository is not null && _layouts.Count > 1)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Repository names one repository; give one -Path with it."), "RepositoryNameAmbiguous", ErrorCategory.InvalidArgument, Repository));
        }

        var target = $"http://127.0.0.1:{(Port == 0 ? "<free port>" : Port.ToString(System.Globalization.CultureInfo.InvariantCulture))}/";
        if (!ShouldProcess(target, "Start a test registry"))
        {
            return;
        }

        TestRegistryServer? server = null;
        RunAsync(async ct => server = await TestRegistryServer.StartAsync(new TestRegistryOptions { Port = Port }, ct).ConfigureAwait(false));
        try
        {
            if (SampleContent.IsPresent)
            {
                Core.TestRegistry.SampleContent.AddTo(server!.Content);
            }

            foreach (var layout in _layouts)
            {
                var repository = Repository ?? RepositoryNameFor(layout);
                var tags = OciLayoutReader.Load(layout, repository, server!.Content);
                WriteVerbose($"Serving {layout} as {repository} with tags: {string.Join(", ", tags)}");
            }
        }
        catch (Exception e)
        {
            server!.Dispose();
            ThrowTerminatingError(new ErrorRecord(e, e is ArgumentException ? "InvalidRepositoryName" : "LayoutUnreadable", ErrorCategory.InvalidData, _layouts.FirstOrDefault()));
        }

        WriteObject(new OciTestRegistry(server!));
    }

    private static string RepositoryNameFor(string layout)
    {
        var name = System.IO.Path.GetFileName(layout.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar)).ToLowerInvariant();
        name = Regex.Replace(name, "[^a-z0-9._-]+", "-").Trim('.', '_', '-');
        return Reference.IsValidRepository(name)
            ? name
            : throw new ArgumentException($"The folder name of '{layout}' is not a usable repository name; pass -Repository.");
    }
}
