using System.Globalization;
using Mimamori.Cli.Evaluation;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Pipeline;

namespace Mimamori.Cli.Pipeline;

/// <summary>
/// Where training labels come from. In the synthetic demo: its ground truth (truth/outcomes.csv), which records what
/// happened in the 12 months after the reference date. In a municipality: its own outcome history, a small CSV the
/// municipality keeps — <c>person_key,outcome,date</c> (person_key = 宛名番号; outcome = confirmed_need, yotaikyo,
/// futoko...; date = yyyy-MM-dd when it happened) — placed at DATA/outcomes/history.csv.
/// </summary>
public static class OutcomeLabels
{
    /// <summary>The history file's place in the data folder.</summary>
    public static string HistoryFile(string dataDir) => Path.Combine(dataDir, "outcomes", "history.csv");

    /// <summary>Labels from a synthetic municipality's truth: each resolved person stands for the true person most of its records belong to.</summary>
    public static Dictionary<long, bool>? FromTruth(MimamoriDatabase database, string truthDir, string outcome)
    {
        var outcomes = Path.Combine(truthDir, "outcomes.csv");
        var records = Path.Combine(truthDir, "records.csv");
        if (!File.Exists(outcomes) || !File.Exists(records))
        {
            return null;
        }

        var truthRecord = new Dictionary<(string, string, long), string>();
        foreach (var r in TruthFile.Read(records))
        {
            truthRecord[(r["source"], r["file"], long.Parse(r["line"], CultureInfo.InvariantCulture))] = r["person_id"];
        }

        var votes = new Dictionary<long, Dictionary<string, int>>();
        foreach (var (source, file, line, personId, _) in EvaluationQueries.LinkedRecords(database))
        {
            if (!truthRecord.TryGetValue((source, file, line), out var truth))
            {
                continue;
            }

            if (!votes.TryGetValue(personId, out var v))
            {
                v = new Dictionary<string, int>(StringComparer.Ordinal);
                votes[personId] = v;
            }

            v[truth] = v.GetValueOrDefault(truth) + 1;
        }

        var truthLabel = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var o in TruthFile.Read(outcomes))
        {
            if (o.TryGetValue(outcome, out var value))
            {
                truthLabel[o["person_id"]] = value == "1";
            }
        }

        var labels = new Dictionary<long, bool>();
        foreach (var (person, v) in votes)
        {
            var truth = v.OrderByDescending(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal).First().Key;
            if (truthLabel.TryGetValue(truth, out var label))
            {
                labels[person] = label;
            }
        }

        return labels;
    }

    /// <summary>
    /// Labels from a municipality's history: 1 when the person had the outcome in (from, to], 0 for every other child
    /// given. Persons are joined on 宛名番号.
    /// </summary>
    public static Dictionary<long, bool>? FromHistory(MimamoriDatabase database, string file, string outcome, DateOnly from, DateOnly to, IEnumerable<long> children)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        var byAtena = ModelStore.PersonAddresses(database).Where(p => !string.IsNullOrEmpty(p.AtenaNo))
            .GroupBy(p => p.AtenaNo!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.PersonId).ToList(), StringComparer.Ordinal);
        var positive = new HashSet<long>();
        foreach (var row in TruthFile.Read(file))
        {
            if (row.GetValueOrDefault("outcome") != outcome
                || !DateOnly.TryParseExact(row.GetValueOrDefault("date"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || date <= from || date > to)
            {
                continue;
            }

            foreach (var p in byAtena.GetValueOrDefault(row.GetValueOrDefault("person_key") ?? string.Empty) ?? [])
            {
                positive.Add(p);
            }
        }

        return children.ToDictionary(c => c, positive.Contains);
    }
}
