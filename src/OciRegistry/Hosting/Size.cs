using System.Globalization;

namespace OciRegistry.Hosting;

/// <summary>Byte counts for people: 1.5 MB, 712 KB. Properties stay in bytes; only text uses this.</summary>
public static class Size
{
    /// <summary>Formats <paramref name="bytes"/> with a binary unit and one decimal.</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
            : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
