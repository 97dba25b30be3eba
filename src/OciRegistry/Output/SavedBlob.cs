using System.IO;
using System.Management.Automation;
using OciRegistry.Core.Transfer;

namespace OciRegistry.Output;

/// <summary>
/// What Save-OciBlob emits: the <see cref="FileInfo"/> of the verified file (so it pipes into file cmdlets), with
/// the transfer's facts as extra properties.
/// </summary>
internal static class SavedBlob
{
    public const string TypeName = "OciRegistry.SavedBlob";

    public static PSObject From(BlobDownloadResult result, string? mediaType)
    {
        var item = new PSObject(new FileInfo(result.Path));
        item.TypeNames.Insert(0, TypeName);
        item.Properties.Add(new PSNoteProperty("Digest", result.Digest.ToString()));
        item.Properties.Add(new PSNoteProperty("MediaType", mediaType));
        item.Properties.Add(new PSNoteProperty("AlreadyPresent", result.AlreadyPresent));
        item.Properties.Add(new PSNoteProperty("Resumed", result.Resumed));
        item.Properties.Add(new PSNoteProperty("ResumedFrom", result.ResumedFrom));
        item.Properties.Add(new PSNoteProperty("BytesDownloaded", result.BytesDownloaded));
        item.Properties.Add(new PSNoteProperty("Attempts", result.Attempts));
        item.Properties.Add(new PSNoteProperty("Ranges", result.Ranges));
        item.Properties.Add(new PSNoteProperty("Elapsed", result.Elapsed));
        return item;
    }
}
