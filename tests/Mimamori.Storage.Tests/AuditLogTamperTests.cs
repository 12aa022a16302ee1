using Dapper;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Audit;

namespace Mimamori.Storage.Tests;

/// <summary>The stored audit trail detects an edit, a deletion or a forged insertion made directly in the database.</summary>
public sealed class AuditLogTamperTests
{
    private static AuditLog Filled(string kind, out Connection.MimamoriDatabase db)
    {
        db = TestDatabases.Create(kind);
        db.Migrate();
        var log = new AuditLog(db);
        for (var i = 1; i <= 5; i++)
        {
            log.Append(AuditEvent.Create(TimeProvider.System, "caseworker", "caseworker", "こども家庭センター", "early_support", "view", $"person:{i}", ["resident"], ["name"], "allowed", "127.0.0.1"));
        }

        return log;
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Verify_UntouchedTrail_IsIntact(string kind)
    {
        var log = Filled(kind, out _);
        Assert.Null(log.Verify());
        Assert.Equal(5, log.Count());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void VerifyForDisplay_ChecksWhatWasAppended_AndEverythingAgainInTime(string kind)
    {
        var log = Filled(kind, out var db);
        var now = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal((null, 5L), log.VerifyForDisplay(now));
        log.Append(AuditEvent.Create(TimeProvider.System, "caseworker", "caseworker", "こども家庭センター", "early_support", "view", "person:6", ["resident"], ["name"], "allowed", "127.0.0.1"));
        Assert.Equal((null, 6L), log.VerifyForDisplay(now.AddMinutes(1)));

        // A forged entry appended after the last check, and an edit of the last entry checked, are found at once.
        using (var connection = db.Open())
        {
            connection.Execute(
                "INSERT INTO audit_event (seq, at, user_name, role, organisation, purpose, action, subject, categories, fields, outcome, client, prev_hash, hash) " +
                "SELECT 7, at, user_name, role, organisation, purpose, action, 'person:7', categories, fields, outcome, client, hash, hash FROM audit_event WHERE seq = 6");
        }

        Assert.Equal((7L, 7L), log.VerifyForDisplay(now.AddMinutes(2)));
        using (var connection = db.Open())
        {
            connection.Execute("DELETE FROM audit_event WHERE seq = 7");
        }

        Assert.Equal((null, 6L), log.VerifyForDisplay(now.AddMinutes(3)));
        using (var connection = db.Open())
        {
            connection.Execute("UPDATE audit_event SET subject = 'person:99' WHERE seq = 6");
        }

        Assert.Equal(6L, log.VerifyForDisplay(now.AddMinutes(4)).BrokenAt);
        using (var connection = db.Open())
        {
            connection.Execute("UPDATE audit_event SET subject = 'person:6' WHERE seq = 6");
        }

        // An edit further back is found by the next full check, at most FullCheckInterval later (audit verify: always).
        Assert.Equal((null, 6L), log.VerifyForDisplay(now.AddMinutes(5)));
        using (var connection = db.Open())
        {
            connection.Execute("UPDATE audit_event SET subject = 'person:99' WHERE seq = 2");
        }

        Assert.Equal(2, log.Verify());
        Assert.Equal(2L, log.VerifyForDisplay(now.AddMinutes(5) + AuditLog.FullCheckInterval).BrokenAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Verify_EditedSubject_IsDetectedAtThatEvent(string kind)
    {
        var log = Filled(kind, out var db);
        using (var connection = db.Open())
        {
            connection.Execute("UPDATE audit_event SET subject = 'person:99' WHERE seq = 3");
        }

        Assert.Equal(3, log.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Verify_DeletedEvent_IsDetected(string kind)
    {
        var log = Filled(kind, out var db);
        using (var connection = db.Open())
        {
            connection.Execute("DELETE FROM audit_event WHERE seq = 2");
        }

        Assert.NotNull(log.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void Verify_RecomputedHashOnAnEditedRow_StillBreaksTheNextLink(string kind)
    {
        var log = Filled(kind, out var db);
        var all = log.ReadAll();
        var forged = all[1] with { Subject = "person:99" };
        var forgedHash = AuditChain.Hash(forged.PrevHash, forged);
        using (var connection = db.Open())
        {
            connection.Execute("UPDATE audit_event SET subject = 'person:99', hash = @forgedHash WHERE seq = 2", new { forgedHash });
        }

        Assert.Equal(3, log.Verify());
    }
}
