using Dapper;
using Mimamori.Privacy.Access;
using Mimamori.Storage.Access;
using Mimamori.Storage.Connection;
using Mimamori.Storage.Reading;

namespace Mimamori.Storage.Tests.Access;

public sealed class AccessStoreTests
{
    private static readonly DateTimeOffset Noon = new(2026, 4, 1, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void OwnCases_ReachesExactlyTheChildrenCurrentlyAssigned_AndEndingAnAssignmentClosesIt(string kind)
    {
        var db = Seeded(kind);
        var cases = new CaseAssignments(db);
        var scope = Scope.OwnCases.For("cw1");
        var query = new WorklistQuery(db);
        Assert.Empty(query.InScope([1, 2, 3, 4], scope));

        var first = cases.Assign(2, "cw1", "こども家庭センター", "新規の相談", "sv", Noon);
        cases.Assign(3, "cw1", "こども家庭センター", "引き継ぎ", "sv", Noon);
        cases.Assign(4, "cw2", "こども家庭センター", "別の担当", "sv", Noon);
        Assert.Equal(first, cases.Assign(2, "cw1", "こども家庭センター", "重複", "sv", Noon));
        Assert.Equal([2L, 3L], query.InScope([1, 2, 3, 4], scope).Order());
        Assert.NotNull(new ChildQuery(db).Load(2, scope, new DateOnly(2026, 4, 1)));
        Assert.Null(new ChildQuery(db).Load(4, scope, new DateOnly(2026, 4, 1)));

        // An own_cases scope not tied to a user, and an ended assignment, reach nobody.
        Assert.Empty(query.InScope([1, 2, 3, 4], Scope.OwnCases));
        Assert.False(cases.End(3, first.AssignmentId, "sv", Noon.AddDays(1)));
        Assert.True(cases.End(2, first.AssignmentId, "sv", Noon.AddDays(1)));
        Assert.False(cases.End(2, first.AssignmentId, "sv", Noon.AddDays(2)));
        Assert.Equal([3L], query.InScope([1, 2, 3, 4], scope).Order());
        Assert.Equal([3L], cases.CasesOf("cw1"));
        var history = cases.Of(2);
        Assert.Equal("2026-04-02T03:00:00Z", Assert.Single(history).EndedAt);
        Assert.Equal("sv", history[0].EndedBy);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void BreakGlass_IsInForceForOneUserAndOneChildUntilItExpires_AndIsReviewedOnce(string kind)
    {
        var db = Seeded(kind);
        var grants = new BreakGlassGrants(db);
        var grant = grants.Grant("school1", Role.SchoolStaff, "第二小学校", 3, "校外で保護された児童の緊急連絡のため", Noon, TimeSpan.FromHours(4));
        Assert.Equal("2026-04-01T07:00:00Z", grant.ExpiresAt);
        Assert.Equal(grant, grants.Active("school1", 3, Noon.AddHours(3)));
        Assert.Null(grants.Active("school1", 3, Noon.AddHours(4)));
        Assert.Null(grants.Active("school1", 4, Noon.AddHours(1)));
        Assert.Null(grants.Active("school2", 3, Noon.AddHours(1)));

        var other = grants.Grant("cw1", Role.Caseworker, "こども家庭センター", 4, "夜間の緊急通報への対応のため", Noon.AddHours(1), TimeSpan.FromHours(4));
        Assert.True(grants.Review(grant.GrantId, "privacy", "理由と閲覧範囲を確認した", Noon.AddDays(1)));
        Assert.False(grants.Review(grant.GrantId, "privacy", "二度目", Noon.AddDays(2)));
        Assert.False(grants.Review(999, "privacy", "ない", Noon.AddDays(2)));
        var recent = grants.Recent();
        Assert.Equal([other.GrantId, grant.GrantId], recent.Select(g => g.GrantId));
        Assert.False(recent[0].Reviewed);
        Assert.Equal("理由と閲覧範囲を確認した", grants.Find(grant.GrantId)!.ReviewNote);
    }

    private static MimamoriDatabase Seeded(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        using var c = db.Open();
        for (var id = 1; id <= 4; id++)
        {
            c.Execute(
                "INSERT INTO person (person_id, family_name, given_name, family_kana, given_kana, birth_date, is_child) VALUES (@id, '山田', @given, 'ヤマダ', 'タロウ', '2015-05-05', 1)",
                new { id = (long)id, given = "太郎" + id });
        }

        return db;
    }
}
