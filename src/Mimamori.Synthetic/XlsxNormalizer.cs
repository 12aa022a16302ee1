using System.IO.Compression;

namespace Mimamori.Synthetic;

/// <summary>
/// Rewrites an .xlsx package with fixed entry timestamps: the packaging layer stamps each part with the current time,
/// which would make two runs with the same seed differ.
/// </summary>
internal static class XlsxNormalizer
{
    public static byte[] FixTimestamps(byte[] package, DateTime stamp)
    {
        using var input = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        using var buffer = new MemoryStream();
        using (var output = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                var copy = output.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = new DateTimeOffset(stamp, TimeSpan.Zero);
                using var from = entry.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        }

        return buffer.ToArray();
    }
}
