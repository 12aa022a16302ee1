using Dapper;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Casework;
using Mimamori.Storage.Reading;

namespace Mimamori.Storage.Tests;

/// <summary>要対協 registrations recorded by staff: one open at a time, ended with a date and reason, and filtered on in the worklist.</summary>
public sealed class YotaikyoStoreTests
{
    private static readonly DateTimeOffset Noon = new(2026, 4, 10, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Registration_OpensAndEnds_AndTheWorklistFiltersOnIt(string kind)
    {
        var db = PlanStoreTests.Seeded(kind);
        using (var c = db.Open())
        {
            foreach (var id in new[] { 1L, 2L, 3L })
            {
                c.Execute("INSERT INTO need_assessment (person_id, difficulty, score, band, signals, missing, model_version) VALUES (@id, 'futoko', 0.8, 'high', '[]', '[]', 'rules-test')", new { id });
            }

            // Child 3 is registered in the linked data (a 要対協 record without a closed status).
            c.Execute("INSERT INTO source_record (record_id, batch_id, source, category, file, line, original) VALUES (301, 1, 'yotaikyo', 'child_welfare', 'y.csv', 2, '{}')");
            c.Execute("INSERT INTO person_record (record_id, person_id, method, weight, explanation) VALUES (301, 3, 'atena', 10, '{}')");
            c.Execute("INSERT INTO fact (record_id, kind, fact_date, value_text) VALUES (301, 'cw.yotaikyo_kind', '2025-06-01', 'support')");
        }

        var store = new YotaikyoStore(db);
        var registration = store.Register(1, YotaikyoKind.Support, new DateOnly(2026, 4, 1), "caseworker", Noon);
        Assert.True(registration.IsOpen);
        Assert.Throws<InvalidOperationException>(() => store.Register(1, YotaikyoKind.Protection, new DateOnly(2026, 4, 2), "caseworker", Noon));
        Assert.Throws<ArgumentException>(() => store.Register(2, "other", new DateOnly(2026, 4, 2), "caseworker", Noon));

        var worklist = new WorklistQuery(db);
        List<long> Filtered(string filter) => worklist.Run(new WorklistRequest(Scope.All, new DateOnly(2026, 4, 10), Yotaikyo: filter)).Rows.Select(r => r.PersonId).Order().ToList();
        Assert.Equal([1L, 3L], Filtered(YotaikyoFilter.Registered));
        Assert.Equal([2L], Filtered(YotaikyoFilter.NotRegistered));

        // An end before the registration is refused; a proper end closes it.
        Assert.False(store.End(registration.RegistrationId, new DateOnly(2026, 3, 1), "誤り", "caseworker", Noon));
        Assert.True(store.End(registration.RegistrationId, new DateOnly(2026, 4, 9), "支援終結（家庭状況の改善）", "supervisor", Noon));
        Assert.False(store.End(registration.RegistrationId, new DateOnly(2026, 4, 9), "二度目", "supervisor", Noon));
        var ended = store.Of(1).Single();
        Assert.Equal((new DateOnly(2026, 4, 9), "支援終結（家庭状況の改善）", false), (ended.EndedOn!.Value, ended.EndReason, ended.IsOpen));
        Assert.Equal([1L, 2L], Filtered(YotaikyoFilter.NotRegistered));
        Assert.True(store.RegisteredInLinkedData(3));
        Assert.False(store.RegisteredInLinkedData(1));
    }
}
