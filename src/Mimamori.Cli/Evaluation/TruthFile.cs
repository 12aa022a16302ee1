using System.Text;
using Mimamori.Ingestion.Readers;

namespace Mimamori.Cli.Evaluation;

/// <summary>Reads a ground-truth CSV (UTF-8, header) into rows keyed by column name.</summary>
public static class TruthFile
{
    public static IEnumerable<Dictionary<string, string>> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"The ground-truth file {path} does not exist; evaluation needs a synthetic municipality (`mimamori synth`).");
        }

        using var stream = File.OpenRead(path);
        foreach (var row in Read(stream))
        {
            yield return row;
        }
    }

    /// <summary>Reads ground-truth CSV rows from a stream (a truth file generated in memory).</summary>
    public static IEnumerable<Dictionary<string, string>> Read(Stream stream)
    {
        string[]? header = null;
        foreach (var row in DelimitedReader.Read(stream, new UTF8Encoding(false, true), ','))
        {
            if (header is null)
            {
                header = row.Fields;
                continue;
            }

            var map = new Dictionary<string, string>(header.Length, StringComparer.Ordinal);
            for (var i = 0; i < header.Length && i < row.Fields.Length; i++)
            {
                map[header[i]] = row.Fields[i];
            }

            yield return map;
        }
    }
}
