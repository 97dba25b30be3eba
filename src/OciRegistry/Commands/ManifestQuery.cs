using System;
using System.Management.Automation;
using OciRegistry.Core.Models;
using OciRegistry.Core.References;
using OciRegistry.Hosting;

namespace OciRegistry.Commands;

/// <summary>The -Reference and -Platform of the query cmdlets, parsed before any request.</summary>
internal sealed class ManifestQuery
{
    private ManifestQuery(Reference reference, Platform? platform)
    {
        Reference = reference;
        Platform = platform;
    }

    /// <summary>The parsed reference.</summary>
    public Reference Reference { get; }

    /// <summary>The parsed platform; null when none was given (an empty one, as a piped null binds, is none).</summary>
    public Platform? Platform { get; }

    /// <summary>Parses both, or writes the error (InvalidReference, InvalidPlatform) about the reference and returns null.</summary>
    public static ManifestQuery? TryParse(Cmdlet cmdlet, string reference, string? platform)
    {
        try
        {
            return new ManifestQuery(
                Core.References.Reference.Parse(reference),
                string.IsNullOrEmpty(platform) ? null : Core.Models.Platform.Parse(platform!));
        }
        catch (Exception e) when (e is InvalidReferenceException or InvalidPlatformException)
        {
            cmdlet.WriteError(ErrorMapping.ToErrorRecord(e, reference, ErrorSubject.Manifest));
            return null;
        }
    }
}
