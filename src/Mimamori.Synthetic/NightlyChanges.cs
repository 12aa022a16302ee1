using System.Globalization;

namespace Mimamori.Synthetic;

/// <summary>A feed's rows after one night's changes, and how many rows were changed, added and removed.</summary>
public sealed record ChangedRows(IReadOnlyList<string[]> Rows, int Changed, int Added, int Removed)
{
    /// <summary>Rows that differ from the export before.</summary>
    public int Total => Changed + Added + Removed;
}

/// <summary>
/// What a municipality's systems send the night after an export: a few departments send their full list again with a
/// small share of rows changed the way lists change in a day (a family moved, an allowance stopped or its amount
/// changed, a new consultation, a reading mistyped at the counter corrected), and the registry sends its movements
/// (転居, 出生, 死亡). Rows are handled as the text of the export's columns, so the files keep their layout; every
/// choice is drawn from the municipality's seed, so the same seed and night always give the same changes.
/// </summary>
public static class NightlyChanges
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Readings often keyed wrongly at a counter, each with the one meant.</summary>
    private static readonly (char Typed, char Meant)[] KanaSlips =
    [
        ('ヤ', 'ャ'), ('ユ', 'ュ'), ('ヨ', 'ョ'), ('ツ', 'ッ'), ('ャ', 'ヤ'), ('ュ', 'ユ'), ('ョ', 'ヨ'), ('ッ', 'ツ'),
        ('シ', 'ジ'), ('ジ', 'シ'), ('カ', 'ガ'), ('ガ', 'カ'), ('タ', 'ダ'), ('ダ', 'タ'), ('オ', 'ウ'), ('ウ', 'オ'),
    ];

    /// <summary>The random source of one night's changes, derived from the municipality's seed.</summary>
    public static Random Night(int seed, int night) => new(Rand.Derive(seed, 900 + night));

    /// <summary>
    /// The full list of <paramref name="source"/> sent again with about <paramref name="share"/> of its rows changed.
    /// Sources without a known way to change leave their rows as they are.
    /// </summary>
    public static ChangedRows Resend(string source, IReadOnlyList<string> header, IReadOnlyList<string[]> rows, double share, DateOnly asOf, Random rng)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(rng);
        var n = Math.Max(1, (int)Math.Round(rows.Count * share));
        var column = header.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
        var copy = rows.Select(r => (string[])r.Clone()).ToList();
        return source switch
        {
            "jido_teate" => Allowance(copy, column, n, rng),
            "katei_sodan" => Consultations(copy, column, n, asOf, rng),
            "gakureibo" => Moves(copy, column, n, rng),
            _ => new ChangedRows(copy, 0, 0, 0),
        };
    }

    /// <summary>
    /// 住民異動 rows for a night: about <paramref name="count"/> movements — households moving within the city (転居),
    /// births into existing households (出生) and deaths (死亡) — drawn from the persons the movement export already
    /// knows as residents (<paramref name="rows"/>, the export's rows newest first per 宛名番号).
    /// </summary>
    public static IReadOnlyList<string[]> RegistryMovements(IReadOnlyList<string> header, IReadOnlyList<string[]> rows, int count, DateOnly asOf, Random rng)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(rng);
        var c = header.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        int Col(string name) => c[name];
        var (seqCol, atenaCol, householdCol, reasonCol, dateCol, notifiedCol, otherCol, addressCol, postalCol) =
            (Col("異動番号"), Col("宛名番号"), Col("世帯番号"), Col("異動事由"), Col("異動日"), Col("届出日"), Col("前住所・転出先"), Col("住所"), Col("郵便番号"));

        // The registry as the export shows it now: each number's newest row, if it is still a resident.
        var current = new List<string[]>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (seen.Add(r[atenaCol]) && r[reasonCol] is not ("転出" or "死亡"))
            {
                current.Add(r);
            }
        }

        if (current.Count == 0)
        {
            return [];
        }

        var households = current.GroupBy(r => r[householdCol], StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        var nextSeq = rows.Max(r => long.TryParse(r[seqCol], NumberStyles.None, Inv, out var s) ? s : 0) + 1;
        var seqWidth = current[0][seqCol].Length;
        var atenaWidth = current[0][atenaCol].Length;
        var nextAtena = rows.Max(r => long.TryParse(r[atenaCol], NumberStyles.None, Inv, out var a) ? a : 0) + 1;
        var result = new List<string[]>();
        var used = new HashSet<string>(StringComparer.Ordinal);

        string[] Event(string[] from, string reason, DateOnly date, string other)
        {
            var row = (string[])from.Clone();
            row[seqCol] = (nextSeq++).ToString(new string('0', seqWidth), Inv);
            row[reasonCol] = reason;
            row[dateCol] = Iso(date);
            var notified = date.AddDays(rng.Next(0, 8));
            row[notifiedCol] = Iso(notified > asOf ? asOf : notified);
            row[otherCol] = other;
            return row;
        }

        DateOnly Recent() => asOf.AddDays(-rng.Next(1, 8));

        var births = Math.Max(1, count / 4);
        var deaths = Math.Max(1, count / 8);
        var moves = Math.Max(1, count - births - deaths);
        for (var done = 0; done < moves;)
        {
            var household = rng.Pick(households);
            var to = rng.Pick(current);
            if (!used.Add("h:" + household[0][householdCol]) || to[addressCol] == household[0][addressCol])
            {
                if (used.Count >= households.Count)
                {
                    break;
                }

                continue;
            }

            var date = Recent();
            foreach (var member in household)
            {
                var row = Event(member, "転居", date, member[addressCol]);
                row[addressCol] = to[addressCol];
                row[postalCol] = to[postalCol];
                result.Add(row);
                done++;
            }
        }

        var parents = current.Where(r => r[Col("続柄")] is "01" or "02" && !used.Contains("h:" + r[householdCol])).ToList();
        var infants = current.Where(r => DateOnly.TryParseExact(r[Col("生年月日")], "yyyy-MM-dd", Inv, DateTimeStyles.None, out var b) && b > asOf.AddYears(-6)).ToList();
        for (var i = 0; i < births && parents.Count > 0 && infants.Count > 0; i++)
        {
            var parent = rng.Pick(parents);
            var named = rng.Pick(infants);
            var birth = Recent();
            var row = Event(parent, "出生", birth, string.Empty);
            row[atenaCol] = (nextAtena++).ToString(new string('0', atenaWidth), Inv);
            row[Col("名")] = named[Col("名")];
            row[Col("名カナ")] = named[Col("名カナ")];
            row[Col("生年月日")] = Iso(birth);
            row[Col("性別")] = named[Col("性別")];
            row[Col("続柄")] = "03";
            result.Add(row);
        }

        // Deaths among the oldest residents the export lists.
        var oldest = current.Where(r => !used.Contains("h:" + r[householdCol])).OrderBy(r => r[Col("生年月日")], StringComparer.Ordinal).Take(Math.Max(deaths * 10, 10)).ToList();
        for (var i = 0; i < deaths && oldest.Count > 0; i++)
        {
            var k = rng.Next(oldest.Count);
            result.Add(Event(oldest[k], "死亡", Recent(), string.Empty));
            oldest.RemoveAt(k);
        }

        return result;
    }

    /// <summary>児童手当: allowances stopped (the recipient and their children leave the list), amounts changed, readings corrected.</summary>
    private static ChangedRows Allowance(List<string[]> rows, Dictionary<string, int> c, int n, Random rng)
    {
        int changed = 0, removed = 0;
        var recipient = c["受給者番号"];
        var stops = new HashSet<string>(StringComparer.Ordinal);
        while (removed < n / 3 && stops.Count < rows.Count)
        {
            var id = rng.Pick(rows)[recipient];
            if (stops.Add(id))
            {
                removed += rows.Count(r => r[recipient] == id);
            }
        }

        rows.RemoveAll(r => stops.Contains(r[recipient]));
        for (var i = 0; i < n / 3 && rows.Count > 0; i++)
        {
            // A child aged out or was added: the monthly amount moves by one child's share.
            var row = rng.Pick(rows);
            if (long.TryParse(row[c["月額"]], NumberStyles.None, Inv, out var amount))
            {
                row[c["月額"]] = Math.Max(0, amount + (rng.Chance(0.5) ? 10_000 : -10_000)).ToString(Inv);
                changed++;
            }
        }

        changed += CorrectReadings(rows, c["名カナ"], n - removed - changed, rng);
        return new ChangedRows(rows, changed, 0, removed);
    }

    /// <summary>家庭児童相談: new consultations about children already on the list, and readings corrected.</summary>
    private static ChangedRows Consultations(List<string[]> rows, Dictionary<string, int> c, int n, DateOnly asOf, Random rng)
    {
        var kinds = rows.Select(r => r[c["相談種別"]]).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var prefix = asOf.Year.ToString(Inv) + "-";
        var next = rows.Select(r => r[c["受付番号"]]).Where(id => id.StartsWith(prefix, StringComparison.Ordinal))
            .Select(id => long.TryParse(id.AsSpan(prefix.Length), NumberStyles.None, Inv, out var k) ? k : 0).DefaultIfEmpty(0).Max() + 1;
        var added = Math.Max(1, n / 2);
        var originals = rows.Count;
        for (var i = 0; i < added && originals > 0; i++)
        {
            var child = rows[rng.Next(originals)];
            var row = new string[child.Length];
            Array.Fill(row, string.Empty);
            foreach (var name in new[] { "宛名番号", "児童氏名", "児童カナ", "生年月日" })
            {
                row[c[name]] = child[c[name]];
            }

            row[c["受付番号"]] = prefix + (next++).ToString("00000", Inv);
            row[c["受付日"]] = Iso(asOf.AddDays(-rng.Next(0, 7)));
            row[c["相談種別"]] = kinds.Count > 0 ? rng.Pick(kinds) : string.Empty;
            rows.Add(row);
        }

        var changed = CorrectReadings(rows.Take(originals).ToList(), c["児童カナ"], n - added, rng);
        return new ChangedRows(rows, changed, added, 0);
    }

    /// <summary>学齢簿: children whose family moved within the city, with the school of their new address.</summary>
    private static ChangedRows Moves(List<string[]> rows, Dictionary<string, int> c, int n, Random rng)
    {
        var (address, school) = (c["住所"], c["学校名"]);
        var changed = 0;
        for (var tries = 0; changed < n && tries < n * 10 && rows.Count > 1; tries++)
        {
            var row = rng.Pick(rows);
            var to = rng.Pick(rows);
            if (to[address] == row[address])
            {
                continue;
            }

            row[address] = to[address];
            row[school] = to[school];
            changed++;
        }

        return new ChangedRows(rows, changed, 0, 0);
    }

    /// <summary>Corrects the reading of up to <paramref name="n"/> rows: one character keyed as a look-alike is put right.</summary>
    private static int CorrectReadings(List<string[]> rows, int column, int n, Random rng)
    {
        var done = new HashSet<string[]>();
        for (var tries = 0; done.Count < n && tries < n * 20 && rows.Count > 0; tries++)
        {
            var row = rng.Pick(rows);
            var kana = row[column];
            var slip = KanaSlips.Where(s => kana.Contains(s.Typed, StringComparison.Ordinal)).ToList();
            if (slip.Count == 0 || done.Contains(row))
            {
                continue;
            }

            var (typed, meant) = rng.Pick(slip);
            var at = kana.IndexOf(typed, StringComparison.Ordinal);
            row[column] = string.Concat(kana.AsSpan(0, at), meant.ToString(), kana.AsSpan(at + 1));
            done.Add(row);
        }

        return done.Count;
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", Inv);
}
