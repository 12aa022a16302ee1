using Mimamori.Privacy.Audit;

namespace Mimamori.Privacy.Tests.Audit;

public class AuditChainTests
{
    private static List<AuditEvent> Chain(int count)
    {
        var list = new List<AuditEvent>();
        var prev = AuditChain.Genesis;
        var start = new DateTimeOffset(2025, 11, 28, 9, 0, 0, TimeSpan.FromHours(9));
        for (var i = 1; i <= count; i++)
        {
            var e = new AuditEvent(i, start.AddMinutes(i), "sato", "caseworker", "こども家庭センター", "early_support", "view", $"person:{i}", ["resident", "education"], ["name"], "allowed", "127.0.0.1", prev, string.Empty);
            e = e with { Hash = AuditChain.Hash(prev, e) };
            list.Add(e);
            prev = e.Hash;
        }

        return list;
    }

    [Fact]
    public void Verify_IntactChain_IsNull()
    {
        Assert.Null(AuditChain.Verify(Chain(5)));
        Assert.Null(AuditChain.Verify([]));
    }

    [Fact]
    public void Verify_EditedSubject_ReportsThatEntry()
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { Subject = "person:99" };
        Assert.Equal(3, AuditChain.Verify(chain));
    }

    [Fact]
    public void Verify_EditRehashedInPlace_BreaksTheNextLink()
    {
        var chain = Chain(5);
        var edited = chain[2] with { User = "someone-else" };
        chain[2] = edited with { Hash = AuditChain.Hash(edited.PrevHash, edited) };
        Assert.Equal(4, AuditChain.Verify(chain));
    }

    [Fact]
    public void Verify_EditedCategoryList_IsDetected()
    {
        var chain = Chain(3);
        chain[1] = chain[1] with { Categories = ["resident"] };
        Assert.Equal(2, AuditChain.Verify(chain));
    }

    [Fact]
    public void Verify_DeletedEntry_IsDetected()
    {
        var chain = Chain(5);
        chain.RemoveAt(1);
        Assert.Equal(3, AuditChain.Verify(chain));
    }

    [Fact]
    public void Verify_DeletedFirstEntry_IsDetected()
    {
        var chain = Chain(3);
        chain.RemoveAt(0);
        Assert.Equal(2, AuditChain.Verify(chain));
    }

    [Fact]
    public void Verify_ReorderedEntries_AreDetected()
    {
        var chain = Chain(5);
        (chain[1], chain[2]) = (chain[2], chain[1]);
        Assert.Equal(3, AuditChain.Verify(chain));
    }

    [Fact]
    public void Hash_DependsOnPreviousHash()
    {
        var e = Chain(1)[0];
        Assert.NotEqual(AuditChain.Hash(AuditChain.Genesis, e), AuditChain.Hash(new string('1', 64), e));
        Assert.Matches("^[0-9a-f]{64}$", e.Hash);
    }

    [Fact]
    public void Hash_FieldBoundariesCannotBeShifted()
    {
        var e = Chain(1)[0];
        var shifted = e with { User = e.User + e.Role[..4], Role = e.Role[4..] };
        Assert.NotEqual(AuditChain.Hash(AuditChain.Genesis, e), AuditChain.Hash(AuditChain.Genesis, shifted));
    }

    [Fact]
    public void Time_RoundTripsThroughText()
    {
        var at = new DateTimeOffset(2025, 11, 28, 9, 1, 2, TimeSpan.FromHours(9)).AddTicks(1234567);
        Assert.Equal(at, AuditChain.ParseTime(AuditChain.FormatTime(at)));
        Assert.EndsWith("Z", AuditChain.FormatTime(at), StringComparison.Ordinal);
    }
}
