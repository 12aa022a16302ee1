using System.Globalization;
using Dapper;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Scoring;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Identity;

namespace Mimamori.Storage.Pipeline;

/// <summary>Whether the next link may be incremental, and if so what it starts from.</summary>
/// <param name="FullReason">Why a full relink is needed (null when an incremental run is possible).</param>
/// <param name="Model">The model of the last link run, which an incremental run must use.</param>
/// <param name="NewBatches">Current import batches not yet linked.</param>
public sealed record IncrementalPlan(string? FullReason, LinkageModel? Model, IncrementalBase? Base, int NewBatches, string? LastDetail)
{
    /// <summary>Every current record's key, read with the records (the save needs them; reading them again costs a pass over the store).</summary>
    public Dictionary<long, (string Key, string? RegistryAtena)>? Keys { get; init; }

    /// <summary>Every stored link with its explanation, read with the plan: the save compares the new links with them.</summary>
    public Dictionary<long, (long PersonId, string Method, double Weight, string Explanation)>? StoredLinks { get; init; }
}

/// <summary>
/// Reads what an incremental link needs from the store: the batches not yet linked (<c>linked_batch</c>), the links
/// of the last run, and the model it used. A full relink is required when there is no earlier link, when the
/// registry changed (the spine), when the model's specification differs from the one of the last run, or when staff
/// decided pairs since the last run (docs/review.md).
/// </summary>
public static class IncrementalLinkStore
{
    private const string Current = "('current', 'delta')";

    /// <param name="modelVersion">The version a full run's model would carry now; a different stored version forces a full relink.</param>
    public static IncrementalPlan Plan(MimamoriDatabase database, string modelVersion)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = database.Open();
        if (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM linked_batch") == 0)
        {
            return Full("no earlier link");
        }

        var last = connection.QueryFirstOrDefault<(string StartedAt, string Detail)?>(
            "SELECT started_at, detail FROM pipeline_run WHERE stage = 'link' AND status = 'succeeded' ORDER BY run_id DESC LIMIT 1");
        if (last is not { } run || LinkReview.LatestModel(database) is not { } model)
        {
            return Full("no earlier link run with its model");
        }

        if (model.Version != modelVersion || !SameSpecification(model, LinkageModel.Default))
        {
            return Full($"the model changed ({model.Version} stored, {modelVersion} now)");
        }

        var lastDecision = connection.ExecuteScalar<string?>("SELECT MAX(decided_at) FROM link_decision");
        if (lastDecision is not null && Parse(lastDecision) >= Parse(run.StartedAt))
        {
            return Full("review decisions were recorded since the last link");
        }

        var newBatches = connection.Query<long>($"SELECT batch_id FROM import_batch WHERE status IN {Current} AND batch_id NOT IN (SELECT batch_id FROM linked_batch)").ToList();
        // Registry records a new full snapshot carried over unchanged are still linked: only its new records count.
        var newRegistryBatches = connection.Query<(long BatchId, string Status)>(
            $"SELECT DISTINCT b.batch_id, b.status FROM source_record r JOIN import_batch b ON b.batch_id = r.batch_id WHERE r.category = 'resident' AND b.status IN {Current} AND b.batch_id NOT IN (SELECT batch_id FROM linked_batch) AND r.record_id NOT IN (SELECT record_id FROM person_record)").ToList();
        if (newRegistryBatches.Any(b => b.Status != "delta"))
        {
            return Full("the resident registry was sent again in full (the spine changed)");
        }

        // A kept link carries its explanation on: the distinct texts are read once and shared, as the save wrote them.
        var explanations = connection.Query<(long Id, string Json)>("SELECT explanation_id, json FROM link_explanation").ToDictionary(e => e.Id, e => e.Json);
        var links = new List<StoredLink>();
        using (var bulk = database.OpenForBulk())
        using (var rows = new TextRows(bulk, """
            SELECT l.record_id, l.person_id, l.method, l.weight, l.explanation, l.explanation_id, r.category, b.status
            FROM person_record l JOIN source_record r ON r.record_id = l.record_id JOIN import_batch b ON b.batch_id = r.batch_id
            """))
        {
            // Read without an object per column: at a city's scale these are millions of links with few distinct texts.
            while (rows.Read())
            {
                links.Add(new StoredLink(rows.Int64(0), rows.Int64(1), rows.Text(2)!, rows.Double(3) ?? 0, rows.Text(4) ?? string.Empty, rows.NullableInt64(5), rows.Text(6)!, rows.Text(7)!));
            }
        }

        if (links.Any(l => l.Category == "resident" && !IsCurrent(l.Status)))
        {
            return Full("a registry snapshot was replaced (the spine changed)");
        }

        // Every stored link with its explanation's text: the kept ones carry it on, and the save compares with them all.
        var stored = new Dictionary<long, (long PersonId, string Method, double Weight, string Explanation)>(links.Count);
        foreach (var l in links)
        {
            stored[l.RecordId] = (l.PersonId, l.Method, l.Weight, l.ExplanationId is { } e ? explanations[e] : l.Explanation);
        }

        // Each person's anchor: a registry record, else the record that founded it (the first record of its founding
        // identity, method "new"; a person made by a decision has none and is anchored on its first record).
        var anchors = new Dictionary<long, long>();
        var dissolved = new HashSet<long>();
        foreach (var person in links.GroupBy(l => l.PersonId))
        {
            var registry = person.Where(l => l.Category == "resident").Select(l => l.RecordId).DefaultIfEmpty(-1).Min();
            if (registry >= 0)
            {
                anchors[person.Key] = registry;
                continue;
            }

            var founders = person.Where(l => l.Method == "new").ToList();
            var founder = (founders.Count > 0 ? founders : person.ToList()).MinBy(l => l.RecordId)!;
            if (IsCurrent(founder.Status))
            {
                anchors[person.Key] = founder.RecordId;
            }
            else
            {
                dissolved.Add(person.Key);
            }
        }

        var (current, keys) = LinkageStore.LoadForLinking(database);
        var linkOf = links.Where(l => IsCurrent(l.Status)).ToDictionary(l => l.RecordId);
        var anchorIds = anchors.Values.ToHashSet();

        // Registry movements (住民異動 deltas) add to the spine: a record kept with one registry person may now block
        // with a new registry record (a birth, a move-in with the same name and date), so every record sharing a
        // blocking value with one — the 宛名番号, the birth date, the reading or its loose form — is resolved again.
        var spineNew = current.Where(r => r.IsRegistry && !linkOf.ContainsKey(r.RecordId)).ToList();
        var near = NearNewRegistry.Of(spineNew);
        var resolve = new List<Linkage.Records.LinkRecord>();
        var kept = new List<KeptLink>();
        int fresh = 0, founderCount = 0;
        foreach (var r in current)
        {
            if (!linkOf.TryGetValue(r.RecordId, out var link))
            {
                fresh++;
                resolve.Add(r);
            }
            else if (r.IsRegistry || anchorIds.Contains(r.RecordId) || dissolved.Contains(link.PersonId) || near.Blocks(r))
            {
                founderCount += !r.IsRegistry && anchorIds.Contains(r.RecordId) ? 1 : 0;
                resolve.Add(r);
            }
            else
            {
                kept.Add(new KeptLink(r.RecordId, anchors[link.PersonId], link.Method, link.Weight, stored[r.RecordId].Explanation));
            }
        }

        var keptIds = new HashSet<long>(kept.Count);
        keptIds.UnionWith(kept.Select(k => k.RecordId));
        var currentIds = new HashSet<long>(current.Count);
        currentIds.UnionWith(current.Select(r => r.RecordId));
        var review = connection.Query<(long RecordId, long CandidateRecordId, double Weight, string Reason)>(
                "SELECT record_id, candidate_record_id, weight, reason FROM link_review ORDER BY review_id")
            .Where(p => keptIds.Contains(p.RecordId) && currentIds.Contains(p.CandidateRecordId))
            .Select(p => new ReviewPair(p.RecordId, p.CandidateRecordId, p.Weight, p.Reason))
            .ToList();
        var left = links.Count(l => !IsCurrent(l.Status));
        return new IncrementalPlan(null, model, new IncrementalBase(resolve, kept, review, fresh, founderCount, dissolved.Count, left), newBatches.Count, run.Detail) { Keys = keys, StoredLinks = stored };
    }

    /// <summary>The blocking values of new registry records, and whether a record shares one.</summary>
    private sealed class NearNewRegistry
    {
        private readonly HashSet<string> values = new(StringComparer.Ordinal);

        // The values a name gives, per distinct name: a city's records repeat few names, and normalising a reading
        // costs more than finding it again.
        private readonly Dictionary<(string, string), string[]> readings = [];
        private readonly Dictionary<(string, string), string?> names = [];

        public static NearNewRegistry Of(IEnumerable<Linkage.Records.LinkRecord> spine)
        {
            var near = new NearNewRegistry();
            foreach (var r in spine)
            {
                foreach (var v in near.Values(r))
                {
                    near.values.Add(v);
                }
            }

            return near;
        }

        public bool Blocks(Linkage.Records.LinkRecord r)
        {
            if (values.Count == 0)
            {
                return false;
            }

            foreach (var v in Values(r))
            {
                if (values.Contains(v))
                {
                    return true;
                }
            }

            return false;
        }

        private IEnumerable<string> Values(Linkage.Records.LinkRecord r)
        {
            if (!string.IsNullOrEmpty(r.AtenaNo))
            {
                yield return "a:" + r.AtenaNo;
            }

            if (r.BirthDate is { } b)
            {
                yield return "b:" + b.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            }

            foreach (var v in ReadingValues(r.Name.FamilyKana, r.Name.GivenKana))
            {
                yield return v;
            }

            if (NameValue(r.Name.Family, r.Name.Given) is { } n)
            {
                yield return n;
            }
        }

        private string[] ReadingValues(string familyKana, string givenKana)
        {
            if (readings.TryGetValue((familyKana, givenKana), out var known))
            {
                return known;
            }

            var family = Kernel.Text.JapaneseText.ReadingKey(familyKana);
            var given = Kernel.Text.JapaneseText.ReadingKey(givenKana);
            var found = new List<string>(4);
            if (family.Length > 0 || given.Length > 0)
            {
                found.Add("r:" + family + "|" + given);
                found.Add("l:" + Kernel.Text.JapaneseText.LooseReadingKey(familyKana + givenKana));

                // The reading as written and given name first: a record that wrote the names the other way round
                // meets its registry person by the one value the other holds.
                found.Add("s:" + Kernel.Text.JapaneseText.ReadingKey(familyKana + givenKana));
                if (family.Length > 0 && given.Length > 0)
                {
                    found.Add("s:" + Kernel.Text.JapaneseText.ReadingKey(givenKana + familyKana));
                }
            }

            readings[(familyKana, givenKana)] = [.. found];
            return readings[(familyKana, givenKana)];
        }

        private string? NameValue(string family, string given)
        {
            if (names.TryGetValue((family, given), out var known))
            {
                return known;
            }

            var found = family.Length > 0 || given.Length > 0
                ? "n:" + Kernel.Text.JapaneseText.NameKey(family) + "|" + Kernel.Text.JapaneseText.NameKey(given)
                : null;
            names[(family, given)] = found;
            return found;
        }
    }

    private static IncrementalPlan Full(string reason) => new(reason, null, null, 0, null);

    private static bool IsCurrent(string status) => status is "current" or "delta";

    private static DateTimeOffset Parse(string at) => DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>Same comparisons with the same levels and thresholds: only m, u and the prior may differ between runs.</summary>
    private static bool SameSpecification(LinkageModel stored, LinkageModel spec) =>
        stored.LinkThreshold.Equals(spec.LinkThreshold) && stored.ReviewThreshold.Equals(spec.ReviewThreshold)
        && stored.Comparisons.Count == spec.Comparisons.Count
        && stored.Comparisons.Zip(spec.Comparisons).All(p => p.First.Id == p.Second.Id
            && p.First.Levels.Select(l => l.Id).SequenceEqual(p.Second.Levels.Select(l => l.Id), StringComparer.Ordinal));

    private sealed record StoredLink(long RecordId, long PersonId, string Method, double Weight, string Explanation, long? ExplanationId, string Category, string Status);
}
