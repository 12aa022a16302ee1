using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Mimamori.Synthetic;

/// <summary>
/// Makes an .xlsx package reproducible. The packaging layer stamps each part with the current time and gives package
/// relationships and the core-properties part random names (R + 16 hex digits, 32 hex digits + .psmdcp); two runs with
/// the same seed would differ. Timestamps are fixed, and each random name is replaced, consistently in every part and
/// entry name, by a sequential one in order of first appearance.
/// </summary>
internal static partial class XlsxNormalizer
{
    public static byte[] Normalize(byte[] package, DateTime stamp)
    {
        var entries = new List<(string Name, byte[] Data)>();
        using (var input = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read))
        {
            foreach (var entry in input.Entries)
            {
                using var from = entry.Open();
                using var copy = new MemoryStream();
                from.CopyTo(copy);
                entries.Add((entry.FullName, copy.ToArray()));
            }
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string Rename(Match m)
        {
            if (!names.TryGetValue(m.Value, out var replacement))
            {
                replacement = m.Value.EndsWith(".psmdcp", StringComparison.Ordinal)
                    ? string.Create(CultureInfo.InvariantCulture, $"{names.Count + 1:x32}.psmdcp")
                    : string.Create(CultureInfo.InvariantCulture, $"R{names.Count + 1:x16}");
                names[m.Value] = replacement;
            }

            return replacement;
        }

        // Parts that can hold the names are small XML relationship and content-type parts; rewrite only those, so
        // cell text is never touched.
        for (var i = 0; i < entries.Count; i++)
        {
            var (name, data) = entries[i];
            if (name.EndsWith(".rels", StringComparison.Ordinal) || name == "[Content_Types].xml")
            {
                data = Encoding.UTF8.GetBytes(RandomName().Replace(Encoding.UTF8.GetString(data), Rename));
            }

            entries[i] = (RandomName().Replace(name, Rename), data);
        }

        using var buffer = new MemoryStream();
        using (var output = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                var copy = output.CreateEntry(name, CompressionLevel.Optimal);
                copy.LastWriteTime = new DateTimeOffset(stamp, TimeSpan.Zero);
                using var to = copy.Open();
                to.Write(data);
            }
        }

        return buffer.ToArray();
    }

    [GeneratedRegex("[0-9a-f]{32}\\.psmdcp|\\bR[0-9a-f]{16}\\b")]
    private static partial Regex RandomName();
}
