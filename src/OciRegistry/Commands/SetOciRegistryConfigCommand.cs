using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using OciRegistry.Core.Client;
using OciRegistry.Core.References;
using OciRegistry.Hosting;
using OciRegistry.Output;

namespace OciRegistry.Commands;

/// <summary>
/// Set-OciRegistryConfig: writes one registry's entry of the user's registry configuration (mirrors, plain HTTP,
/// scheme, certificate authorities), or removes it with <c>-Remove</c>. Parameters not given keep their values.
/// </summary>
/// <remarks>What users read about it is its help page, <c>src/Help/en-US/Set-OciRegistryConfig.md</c>.</remarks>
[Cmdlet(VerbsCommon.Set, "OciRegistryConfig", SupportsShouldProcess = true, DefaultParameterSetName = "Set")]
[OutputType(typeof(OciRegistryConfig))]
public sealed class SetOciRegistryConfigCommand : PSCmdlet
{
    /// <summary>The registry, as in a reference: <c>docker.io</c>, <c>registry.corp:5000</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Registry { get; set; } = string.Empty;

    /// <summary>Mirrors to pull through first, in order; an empty array removes them.</summary>
    [Parameter(ParameterSetName = "Set")]
    [AllowEmptyCollection]
    public string[]? Mirror { get; set; }

    /// <summary>Plain HTTP for the registry, as -AllowInsecure (-Insecure:$false says HTTPS again).</summary>
    [Parameter(ParameterSetName = "Set")]
    public SwitchParameter Insecure { get; set; }

    /// <summary>Https or Http, as -Scheme; None forgets it.</summary>
    [Parameter(ParameterSetName = "Set")]
    [ValidateSet("Https", "Http", "None")]
    public string? Scheme { get; set; }

    /// <summary>Certificate authority files to trust for the registry; an empty array removes them.</summary>
    [Parameter(ParameterSetName = "Set")]
    [AllowEmptyCollection]
    public string[]? CertificateAuthority { get; set; }

    /// <summary>A client certificate for the registry: a PFX without password, or a PEM certificate and its key; empty removes it.</summary>
    [Parameter(ParameterSetName = "Set")]
    [AllowEmptyCollection]
    [ValidateCount(0, 2)]
    public string[]? CertificatePath { get; set; }

    /// <summary>Removes the registry's entry.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Remove")]
    public SwitchParameter Remove { get; set; }

    /// <summary>Writes the entry as it now is.</summary>
    [Parameter(ParameterSetName = "Set")]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var path = RegistryConfiguration.DefaultPath();
        string registry;
        try
        {
            registry = Core.References.Reference.ParseRepository(Registry.Trim().TrimEnd('/') + "/x").Registry;
            foreach (var mirror in Mirror ?? [])
            {
                CheckMirror(mirror);
            }

            var entries = RegistryConfiguration.Load(path).ToList();
            var entry = entries.FirstOrDefault(e => e.Registry.Equals(registry, StringComparison.OrdinalIgnoreCase));
            if (Remove.IsPresent)
            {
                if (entry is not null && ShouldProcess(path, $"Remove the settings of {registry}"))
                {
                    entries.Remove(entry);
                    RegistryConfiguration.Save(path, entries);
                }

                return;
            }

            entry ??= new RegistrySettings(registry);
            entries.Remove(entry);
            var bound = MyInvocation.BoundParameters;
            if (Mirror is not null)
            {
                entry.Mirrors = Mirror;
            }

            if (bound.ContainsKey(nameof(Insecure)))
            {
                entry.Insecure = Insecure.IsPresent;
            }

            if (Scheme is not null)
            {
                entry.Scheme = Scheme == "None" ? null : (RegistryScheme)Enum.Parse(typeof(RegistryScheme), Scheme, ignoreCase: true);
            }

            if (CertificateAuthority is not null)
            {
                entry.CertificateAuthority = [.. CertificateAuthority.Select(GetUnresolvedProviderPathFromPSPath)];
            }

            if (CertificatePath is not null)
            {
                entry.ClientCertificate = [.. CertificatePath.Select(GetUnresolvedProviderPathFromPSPath)];
            }

            entry.Source = path;
            entries.Add(entry);
            if (ShouldProcess(path, $"Set the settings of {registry}"))
            {
                RegistryConfiguration.Save(path, entries);
                if (PassThru.IsPresent)
                {
                    WriteObject(new OciRegistryConfig(entry));
                }
            }
        }
        catch (Exception e) when (e is InvalidReferenceException or ArgumentException)
        {
            WriteError(new ErrorRecord(e, ErrorIds.InvalidReference, ErrorCategory.InvalidArgument, Registry) { ErrorDetails = new ErrorDetails(e.Message) });
        }
        catch (Exception e) when (e is RegistryConfigurationException or System.IO.IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(e, ErrorIds.RegistryConfigInvalid, ErrorCategory.WriteError, path) { ErrorDetails = new ErrorDetails(e.Message) });
        }
    }

    private static void CheckMirror(string mirror)
    {
        if (!MirrorEndpoint.TryParse(mirror, out _, out var problem))
        {
            // The entry itself is not echoed: it may hold credentials, which is one reason it is refused.
            throw new ArgumentException($"A mirror is refused: {problem}.");
        }
    }
}
