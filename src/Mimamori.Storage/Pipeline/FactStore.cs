using System.Globalization;
using Dapper;
using Mimamori.Kernel.Dates;
using Mimamori.Needs.Indicators;
using Mimamori.Needs.Scoring;
using Mimamori.Storage.Connection;
using Mimamori.Support.Programs;

namespace Mimamori.Storage.Pipeline;

/// <summary>Everything linked to persons, gathered for need detection and eligibility, read in one pass.</summary>
public sealed class LinkedFacts
{
    private LinkedFacts(Dictionary<long, PersonRow> persons, Dictionary<long, List<FactItem>> facts, Dictionary<long, HashSet<string>> sources, Dictionary<string, List<long>> households)
    {
        Persons = persons;
        Facts = facts;
        Sources = sources;
        Households = households;
    }

    public IReadOnlyDictionary<long, PersonRow> Persons { get; }

    public IReadOnlyDictionary<long, List<FactItem>> Facts { get; }

    public IReadOnlyDictionary<long, HashSet<string>> Sources { get; }

    public IReadOnlyDictionary<string, List<long>> Households { get; }

    /// <summary>Reads persons, their facts (through their linked records), the sources they appear in, and households.</summary>
    public static LinkedFacts Load(MimamoriDatabase database) => Load(database, (HashSet<long>?)null);

    /// <summary>
    /// The same for some persons only: <paramref name="persons"/>, everyone in <paramref name="households"/>, and
    /// everyone who shares a household with any of them, so each household read is whole.
    /// </summary>
    public static LinkedFacts Load(MimamoriDatabase database, IEnumerable<long> persons, IEnumerable<string> households)
    {
        ArgumentNullException.ThrowIfNull(database);
        var ids = new HashSet<long>(persons ?? []);
        var whole = new HashSet<string>(households ?? [], StringComparer.Ordinal);
        using (var connection = database.Open())
        {
            foreach (var chunk in ids.Chunk(Chunk))
            {
                whole.UnionWith(connection.Query<string>("SELECT household_no FROM household_member WHERE person_id IN " + SqlLists.Ids(chunk)));
            }

            foreach (var chunk in whole.Chunk(Chunk))
            {
                ids.UnionWith(connection.Query<long>("SELECT person_id FROM household_member WHERE household_no IN " + SqlLists.Texts(chunk)));
            }
        }

        return Load(database, ids);
    }

    private const int Chunk = 500;

    // Values up to this length (codes, amounts, grades) repeat across a city; longer ones are mostly free text.
    private const int ShareUpTo = 16;

    /// <summary>The SQL conditions that read <paramref name="ids"/> in chunks: one empty condition (everything) when null.</summary>
    private static IEnumerable<string> Chunks(string column, HashSet<long>? ids) =>
        ids is null ? [string.Empty] : ids.Order().Chunk(Chunk).Select(c => $" {column} IN {SqlLists.Ids(c)}");

    private static LinkedFacts Load(MimamoriDatabase database, HashSet<long>? only)
    {
        Dictionary<long, PersonRow> persons;
        Dictionary<string, List<long>> households;
        Part linked;

        // Everyone's facts are a bulk read of the whole store; some persons' facts are a few indexed reads.
        using (var connection = only is null ? database.OpenForBulk() : database.Open())
        {
            persons = Chunks("person_id", only).SelectMany(c => connection.Query<PersonRow>(
                "SELECT person_id AS PersonId, birth_date AS BirthDate, household_no AS HouseholdNo, is_child AS IsChild FROM person" + Where(c)))
                .ToDictionary(p => p.PersonId);
            households = new Dictionary<string, List<long>>(StringComparer.Ordinal);
            var members = Chunks("person_id", only)
                .SelectMany(c => connection.Query<(string, long)>("SELECT household_no, person_id FROM household_member" + Where(c)))
                .OrderBy(m => m.Item1, StringComparer.Ordinal).ThenBy(m => m.Item2);
            foreach (var (householdNo, personId) in members)
            {
                if (!households.TryGetValue(householdNo, out var list))
                {
                    list = [];
                    households[householdNo] = list;
                }

                list.Add(personId);
            }

            linked = new Part();
            if (only is not null)
            {
                foreach (var condition in Chunks("pr.person_id", only))
                {
                    linked.Read(connection, condition, condition, null);
                }
            }
        }

        if (only is null)
        {
            linked = ReadAll(database);
        }

        // One order whatever the database read first: a person's facts by record, then by what they say, so a
        // reassessment of some persons finds their facts as a reading of everyone would.
        foreach (var list in linked.Facts.Values)
        {
            list.Sort(FactOrder);
        }

        return new LinkedFacts(persons, linked.Facts, linked.Sources, households);
    }

    private static string Where(string condition) => condition.Length == 0 ? string.Empty : " WHERE" + condition;

    /// <summary>
    /// Everyone's linked records and facts: tens of millions of rows at a city's scale, read as slices of record ids
    /// side by side (<see cref="IdSlices"/>), the readers sharing one pool of texts, and put together in id order. A
    /// slice holds a record's facts with the record.
    /// </summary>
    private static Part ReadAll(MimamoriDatabase database)
    {
        var texts = new TextPool();
        var parts = IdSlices.Read(database, "SELECT MIN(record_id), MAX(record_id) FROM person_record", (connection, from, to) =>
        {
            var part = new Part();
            part.Read(connection, string.Create(CultureInfo.InvariantCulture, $" pr.record_id BETWEEN {from} AND {to}"), string.Create(CultureInfo.InvariantCulture, $" f.record_id BETWEEN {from} AND {to}"), texts);
            return part;
        });
        if (parts.Length == 0)
        {
            return new Part();
        }

        // In id order; each person's facts are sorted afterwards, and sources are a set.
        var all = parts[0];
        for (var i = 1; i < parts.Length; i++)
        {
            all.Add(parts[i]);
            parts[i] = null!;
        }

        return all;
    }

    /// <summary>Each person's linked facts and the sources they appear in, from some of the linked records.</summary>
    private sealed class Part
    {
        private readonly Dictionary<string, DateOnly> dates = new(StringComparer.Ordinal);

        public Dictionary<long, List<FactItem>> Facts { get; } = [];

        public Dictionary<long, HashSet<string>> Sources { get; } = [];

        /// <summary>Reads the links the first condition selects, then the facts the second selects, which must be of those links' records.</summary>
        public void Read(System.Data.Common.DbConnection connection, string links, string facts, TextPool? texts)
        {
            // One pass gives both the source of each linked record and the sources each person appears in. Millions of
            // rows at city scale: the bulk reader keeps each distinct kind, source, date and short value once instead of
            // allocating it again for every row, and each distinct date is parsed once.
            var sourceOf = new Dictionary<long, string>();
            using (var rows = new TextRows(connection, "SELECT pr.person_id, pr.record_id, r.source FROM person_record pr JOIN source_record r ON r.record_id = pr.record_id" + Where(links), texts))
            {
                while (rows.Read())
                {
                    var personId = rows.Int64(0);
                    var source = rows.Text(2)!;
                    sourceOf[rows.Int64(1)] = source;
                    if (!Sources.TryGetValue(personId, out var set))
                    {
                        set = new HashSet<string>(StringComparer.Ordinal);
                        Sources[personId] = set;
                    }

                    set.Add(source);
                }
            }

            using (var rows = new TextRows(connection, "SELECT pr.person_id, f.record_id, f.kind, f.fact_date, f.value_text, f.value_num FROM fact f JOIN person_record pr ON pr.record_id = f.record_id" + Where(facts), texts))
            {
                while (rows.Read())
                {
                    var personId = rows.Int64(0);
                    if (!Facts.TryGetValue(personId, out var list))
                    {
                        list = [];
                        Facts[personId] = list;
                    }

                    var recordId = rows.Int64(1);
                    DateOnly? date = null;
                    if (rows.Text(3) is { } text)
                    {
                        if (!dates.TryGetValue(text, out var parsed))
                        {
                            parsed = ParseDate(text);
                            dates[text] = parsed;
                        }

                        date = parsed;
                    }

                    list.Add(new FactItem(sourceOf.GetValueOrDefault(recordId, string.Empty), recordId, rows.Text(2)!, date, rows.Text(4, ShareUpTo), rows.Double(5)));
                }
            }
        }

        /// <summary>Adds a later slice: its sources after this one's, its facts after this one's.</summary>
        public void Add(Part later)
        {
            foreach (var (personId, set) in later.Sources)
            {
                if (Sources.TryGetValue(personId, out var mine))
                {
                    mine.UnionWith(set);
                }
                else
                {
                    Sources[personId] = set;
                }
            }

            foreach (var (personId, list) in later.Facts)
            {
                if (Facts.TryGetValue(personId, out var mine))
                {
                    mine.AddRange(list);
                }
                else
                {
                    Facts[personId] = list;
                }
            }
        }
    }

    /// <summary>The children (under 18 at the reference date) with their own and their household's facts.</summary>
    public IEnumerable<ChildFacts> Children()
    {
        foreach (var p in Persons.Values.Where(p => p.IsChild == 1).OrderBy(p => p.PersonId))
        {
            var own = Facts.GetValueOrDefault(p.PersonId) ?? [];
            var household = new List<FactItem>();
            var householdSources = new HashSet<string>(StringComparer.Ordinal);
            if (p.HouseholdNo is { } h && Households.TryGetValue(h, out var members))
            {
                foreach (var m in members.Where(m => m != p.PersonId))
                {
                    household.AddRange(Facts.GetValueOrDefault(m) ?? []);
                    householdSources.UnionWith(Sources.GetValueOrDefault(m) ?? []);
                }
            }

            yield return new ChildFacts(p.PersonId, p.BirthDate is null ? null : ParseDate(p.BirthDate), own, household, Sources.GetValueOrDefault(p.PersonId) ?? [], householdSources);
        }
    }

    /// <summary>Registry households with their members' ages and facts at the reference date.</summary>
    public IEnumerable<HouseholdFacts> HouseholdsAt(DateOnly referenceDate)
    {
        foreach (var (householdNo, members) in Households.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            var list = new List<MemberFacts>();
            foreach (var m in members)
            {
                var p = Persons[m];
                var birth = p.BirthDate is null ? (DateOnly?)null : ParseDate(p.BirthDate);
                var age = birth is { } b ? NeedScorer.AgeAt(b, referenceDate) : -1;
                var grade = birth is { } g ? SchoolYear.Grade(g, referenceDate) : (int?)null;
                list.Add(new MemberFacts(m, age, grade, string.Empty, Facts.GetValueOrDefault(m) ?? []));
            }

            yield return new HouseholdFacts(householdNo, list);
        }
    }

    /// <summary>The latest date any fact carries: the data's own "as of", used when no reference date is given.</summary>
    public DateOnly LatestFactDate() =>
        Facts.Values.SelectMany(f => f).Where(f => f.Date is not null).Select(f => f.Date!.Value).DefaultIfEmpty(DateOnly.FromDateTime(DateTime.UnixEpoch)).Max();

    private static int FactOrder(FactItem a, FactItem b)
    {
        var c = a.RecordId.CompareTo(b.RecordId);
        c = c != 0 ? c : string.CompareOrdinal(a.Kind, b.Kind);
        c = c != 0 ? c : Nullable.Compare(a.Date, b.Date);
        c = c != 0 ? c : string.CompareOrdinal(a.Text, b.Text);
        return c != 0 ? c : Nullable.Compare(a.Number, b.Number);
    }

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A person as need detection needs it.</summary>
    public sealed record PersonRow(long PersonId, string? BirthDate, string? HouseholdNo, long IsChild);

}
