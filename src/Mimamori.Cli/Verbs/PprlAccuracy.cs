using System.Globalization;
using System.Text.Json;
using Mimamori.Cli.Evaluation;
using Mimamori.Linkage.Pprl;
using Mimamori.Storage.Identity;

namespace Mimamori.Cli.Verbs;

/// <summary>
/// On a synthetic municipality: how well the encoded linkage did against the truth, beside the plain linkage of the
/// same feed (names in the clear) in the last `link` run. A link counts when it reaches a registry person; precision
/// is correct links over links made, recall correct links over the partner records whose person is in the registry.
/// </summary>
public static class PprlAccuracy
{
    public static string Report(Settings settings, string source, IReadOnlyList<PprlMatch> matches)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(matches);
        var truthFile = Path.Combine(settings.TruthDir, "records.csv");
        if (!File.Exists(truthFile))
        {
            throw new UsageException($"--truth-source needs the synthetic truth at {truthFile}.");
        }

        var truth = TruthFile.Read(truthFile).ToDictionary(r => (r["source"], r["file"], long.Parse(r["line"], CultureInfo.InvariantCulture)), r => r["person_id"]);
        var truthOfPerson = new Dictionary<long, string>();
        foreach (var (person, s, file, line) in PersonLinks.RegistryRecords(settings.Database))
        {
            if (truth.TryGetValue((s, file, line), out var t))
            {
                truthOfPerson.TryAdd(person, t);
            }
        }

        var inRegistry = truthOfPerson.Values.ToHashSet(StringComparer.Ordinal);
        var partner = PersonLinks.OfSource(settings.Database, source);
        if (partner.Count == 0)
        {
            throw new UsageException($"No records of {source} are linked in this database; ingest and link the synthetic municipality first.");
        }

        var byLocalId = partner.Where(p => p.LocalId is not null).GroupBy(p => p.LocalId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        int records = 0, reachable = 0, pprlLinked = 0, pprlCorrect = 0, plainLinked = 0, plainCorrect = 0;
        foreach (var m in matches)
        {
            if (!byLocalId.TryGetValue(m.PartnerId, out var record) || !truth.TryGetValue((source, record.File, record.Line), out var t))
            {
                continue;
            }

            records++;
            reachable += inRegistry.Contains(t) ? 1 : 0;
            if (m.Linked && long.TryParse(m.OwnId, CultureInfo.InvariantCulture, out var own))
            {
                pprlLinked++;
                pprlCorrect += truthOfPerson.GetValueOrDefault(own) == t ? 1 : 0;
            }

            if (record.Method != "new" && truthOfPerson.TryGetValue(record.PersonId, out var plain))
            {
                plainLinked++;
                plainCorrect += plain == t ? 1 : 0;
            }
        }

        static object Figures(int linked, int correct, int reachable) => new Dictionary<string, object>
        {
            ["linked"] = linked,
            ["precision"] = linked == 0 ? 0 : Math.Round((double)correct / linked, 4),
            ["recall"] = reachable == 0 ? 0 : Math.Round((double)correct / reachable, 4),
        };

        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["source"] = source,
            ["records"] = records,
            ["in_registry"] = reachable,
            ["pprl"] = Figures(pprlLinked, pprlCorrect, reachable),
            ["plain"] = Figures(plainLinked, plainCorrect, reachable),
        });
    }
}
