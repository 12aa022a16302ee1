using System.Data.Common;
using Dapper;
using Mimamori.Privacy.Audit;
using Mimamori.Storage.Audit;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Tests;

/// <summary>
/// Many callers appending to the audit trail at once: their events are committed together, the chain stays intact,
/// nothing is lost or stored twice, each caller gets back its own events with their seq, and a batch that fails fails
/// every caller whose events were in it and no other.
/// </summary>
public sealed class AuditGroupCommitTests
{
    private static AuditEvent Event(string subject) =>
        AuditEvent.Create(TimeProvider.System, "caseworker", "caseworker", "こども家庭センター", "early_support", "view", subject, ["resident"], ["name", "band"], "allowed", "127.0.0.1");

    private static MimamoriDatabase Store(string kind)
    {
        var db = TestDatabases.Create(kind);
        db.Migrate();
        return db;
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void ConcurrentAppenders_KeepTheChain_AndEachGetsItsOwnEventsBack(string kind)
    {
        var db = Store(kind);
        var log = new AuditLog(db);
        log.Append(Event("person:before"));
        const int threads = 12, calls = 20;
        var returned = new List<(string[] Asked, IReadOnlyList<AuditEvent> Stored)>[threads];
        var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            // Each thread uses its own AuditLog, as requests and command-line verbs do.
            var own = new AuditLog(db);
            returned[t] = [];
            start.SignalAndWait();
            for (var c = 0; c < calls; c++)
            {
                // A child page records one event, a worklist page one per child shown.
                var asked = Enumerable.Range(0, 1 + ((t + c) % 7)).Select(k => $"person:{t}-{c}-{k}").ToArray();
                returned[t].Add((asked, own.Append(asked.Select(Event).ToList())));
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        var all = log.ReadAll();
        Assert.Null(log.Verify());
        var asked = returned.SelectMany(r => r).SelectMany(r => r.Asked).ToList();
        Assert.Equal(asked.Count + 1, all.Count);
        Assert.Equal(all.Count, all.Select(e => e.Subject).Distinct().Count());
        Assert.Equal(asked.Order(StringComparer.Ordinal), all.Skip(1).Select(e => e.Subject).Order(StringComparer.Ordinal));
        var bySeq = all.ToDictionary(e => e.Seq);
        foreach (var (wanted, stored) in returned.SelectMany(r => r))
        {
            // The caller's own events, in its order, stored one after the other, exactly as read back.
            Assert.Equal(wanted, stored.Select(e => e.Subject));
            Assert.Equal(Enumerable.Range(0, stored.Count).Select(i => stored[0].Seq + i), stored.Select(e => e.Seq));
            Assert.All(stored, e => Assert.Equal(bySeq[e.Seq], e with { Categories = bySeq[e.Seq].Categories, Fields = bySeq[e.Seq].Fields }));
            Assert.All(stored, e => Assert.Equal(bySeq[e.Seq].Fields, e.Fields));
        }

        Assert.Equal(all.Count, log.Figures.Events);
        Assert.True(log.Figures.Transactions <= (threads * calls) + 1);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void CallersQueuedWhileATransactionIsWritten_ShareTheNextOne(string kind)
    {
        var db = Store(kind);
        var log = new AuditLog(db);
        var before = log.Figures;
        const int callers = 10;
        var stored = new IReadOnlyList<AuditEvent>[callers];
        List<Thread> workers;
        using (var blocker = HoldTheAuditWriteLock(db, out var tx))
        {
            // The first caller writes alone and waits for the lock; the others queue behind it meanwhile.
            workers = Enumerable.Range(0, callers).Select(i => new Thread(() => stored[i] = log.Append([Event($"person:{i}-a"), Event($"person:{i}-b")]))).ToList();
            StartFirstAlone(workers);
            WaitFor(() => log.Figures.Waiting == callers - 1);
            tx.Commit();
        }

        workers.ForEach(w => w.Join());
        Assert.Equal(2, log.Figures.Transactions - before.Transactions);
        Assert.Equal(2 * callers, log.Figures.Events - before.Events);
        Assert.Null(log.Verify());
        Assert.Equal(Enumerable.Range(1, 2 * callers).Select(i => (long)i), stored.SelectMany(s => s).Select(e => e.Seq).Order());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void AFailedTransaction_FailsEveryCallerInIt_AndNoOther(string kind)
    {
        var db = Store(kind);
        RefuseSubject(db, "person:poison");
        var log = new AuditLog(db);
        log.Append(Event("person:before"));
        string[][] asked = [["person:a1", "person:a2"], ["person:poison"], ["person:b"], ["person:c"]];
        var outcomes = new (IReadOnlyList<AuditEvent>? Stored, Exception? Failure)[asked.Length];
        List<Thread> workers;
        using (var blocker = HoldTheAuditWriteLock(db, out var tx))
        {
            workers = Enumerable.Range(0, asked.Length).Select(i => new Thread(() =>
            {
                try
                {
                    outcomes[i] = (log.Append(asked[i].Select(Event).ToList()), null);
                }
                catch (DbException e)
                {
                    outcomes[i] = (null, e);
                }
            })).ToList();
            StartFirstAlone(workers);
            WaitFor(() => log.Figures.Waiting == asked.Length - 1);
            tx.Commit();
        }

        workers.ForEach(w => w.Join());

        // The first caller wrote alone; the three queued behind it shared one transaction. The poisoned event fails
        // the transaction that holds it, so every caller of that transaction and only they get its exception.
        var poison = outcomes[1].Failure;
        Assert.NotNull(poison);
        var failed = Enumerable.Range(0, asked.Length).Where(i => outcomes[i].Failure is not null).ToList();
        var succeeded = Enumerable.Range(0, asked.Length).Where(i => outcomes[i].Stored is not null).ToList();
        Assert.Equal(asked.Length, failed.Count + succeeded.Count);
        Assert.True(failed.Count is 1 or 3, $"failed: {string.Join(",", failed)}");
        Assert.True(succeeded.Count is 3 or 1);
        Assert.All(failed, i => Assert.Same(poison, outcomes[i].Failure));
        var stored = log.ReadAll();
        Assert.Null(log.Verify());
        Assert.Equal(["person:before", .. succeeded.SelectMany(i => asked[i]).Order(StringComparer.Ordinal)], [stored[0].Subject, .. stored.Skip(1).Select(e => e.Subject).Order(StringComparer.Ordinal)]);

        // The writer goes on: the next caller appends after what was committed.
        var next = log.Append(Event("person:after"));
        Assert.Equal(stored.Count + 1, next.Seq);
        Assert.Null(log.Verify());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Kinds), MemberType = typeof(TestDatabases))]
    public void AnEventMissingAField_FailsOnlyItsCaller(string kind)
    {
        var db = Store(kind);
        var log = new AuditLog(db);
        Assert.Throws<ArgumentException>(() => log.Append([Event("person:1"), Event("person:2") with { Client = null! }]));
        Assert.Equal(0, log.Count());
        Assert.Equal(1, log.Append(Event("person:3")).Seq);
    }

    /// <summary>
    /// Starts the first worker and gives it time to take its own batch and block on the held lock before the others
    /// start, so that the others queue behind it rather than joining its batch.
    /// </summary>
    private static void StartFirstAlone(List<Thread> workers)
    {
        workers[0].Start();
        Thread.Sleep(300);
        workers.Skip(1).ToList().ForEach(w => w.Start());
    }

    /// <summary>Takes, in another connection, the lock every audit append needs, until the transaction ends.</summary>
    private static DbConnection HoldTheAuditWriteLock(MimamoriDatabase db, out DbTransaction tx)
    {
        var connection = db.Open();
        tx = connection.BeginTransaction();
        if (db.Dialect == Dialect.Postgres)
        {
            connection.Execute("LOCK TABLE audit_event IN SHARE ROW EXCLUSIVE MODE", transaction: tx);
        }

        // On SQLite the transaction is BEGIN IMMEDIATE: it holds the database's write lock already.
        return connection;
    }

    private static void RefuseSubject(MimamoriDatabase db, string subject)
    {
        using var connection = db.Open();
        if (db.Dialect == Dialect.Postgres)
        {
            connection.Execute(
                $"CREATE FUNCTION refuse_subject() RETURNS trigger AS $$ BEGIN IF NEW.subject = '{subject}' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
            connection.Execute("CREATE TRIGGER refuse BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION refuse_subject()");
        }
        else
        {
            connection.Execute($"CREATE TRIGGER refuse BEFORE INSERT ON audit_event WHEN NEW.subject = '{subject}' BEGIN SELECT RAISE(ABORT, 'refused'); END");
        }
    }

    private static void WaitFor(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "the callers did not queue in time");
            Thread.Sleep(10);
        }
    }
}
