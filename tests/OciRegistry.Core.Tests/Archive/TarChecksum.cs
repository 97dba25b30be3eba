namespace OciRegistry.Core.Tests.Archive;

/// <summary>How a crafted header's checksum is written.</summary>
internal enum TarChecksum
{
    Unsigned,
    Signed,
    Wrong,
}
