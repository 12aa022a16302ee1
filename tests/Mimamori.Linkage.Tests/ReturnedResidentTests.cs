using System.Text.Json;
using Mimamori.Kernel.People;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;

namespace Mimamori.Linkage.Tests;

/// <summary>A resident who moved out and came back under a new 宛名番号: the registry pass joins the two numbers.</summary>
public sealed class ReturnedResidentTests
{
    private static readonly DateOnly Birth = new(1988, 4, 2);

    private static LinkRecord Movement(long id, string atena, string kind, DateOnly day, string family = "山田", string given = "花子", string familyKana = "ヤマダ", string givenKana = "ハナコ", DateOnly? birth = null, string address = "上戸田一丁目2番3号") =>
        new(id, "jumin_idou", true, atena, "H" + atena, "01", new PersonName(family, given, familyKana, givenKana), birth ?? Birth, Sex.Female, address)
        {
            Event = new RegistryEvent(kind, day),
        };

    private static LinkRecord Snapshot(long id, string atena, string family = "山田", string given = "花子", string familyKana = "ﾔﾏﾀﾞ", string givenKana = "ﾊﾅｺ", DateOnly? birth = null) =>
        new(id, "jumin_legacy", true, atena, "H" + atena, "01", new PersonName(family, given, familyKana, givenKana), birth ?? Birth, Sex.Female, "新曽二丁目5番8号");

    private static LinkRecord Department(long id, string? atena) =>
        new(id, "juminzei", false, atena, null, null, new PersonName("山田", "花子", "ヤマダ", "ハナコ"), Birth, Sex.Female, "新曽二丁目5番8号");

    private static Dictionary<long, LinkAssignment> ByRecord(LinkResult result) => result.Assignments.ToDictionary(a => a.RecordId);

    [Fact]
    public void Resolve_MovedOutAndBackUnderANewNumber_IsOnePersonLinkedAsReturned()
    {
        var result = IdentityResolver.Resolve(
            [
                Movement(1, "0000000001", RegistryEvent.MoveIn, new(2015, 5, 1)),
                Movement(2, "0000000001", RegistryEvent.MoveOut, new(2021, 3, 31)),
                Movement(3, "0000000002", RegistryEvent.MoveIn, new(2024, 7, 1), address: "新曽二丁目5番8号"),
                Snapshot(4, "0000000002"),
                Department(5, "0000000002"),
                Department(6, "0000000001"),
            ],
            LinkageModel.Default);

        Assert.Single(result.Persons);
        var by = ByRecord(result);
        Assert.Equal("registry", by[1].Method);
        Assert.Equal("registry", by[2].Method);
        Assert.Equal(ReturnedResidents.Method, by[3].Method);
        Assert.Equal(ReturnedResidents.Method, by[4].Method);
        Assert.True(by[3].Weight >= LinkageModel.Default.LinkThreshold);

        // The waterfall of the join: the numbers, which never agree on a return, are left out of it.
        using var explanation = JsonDocument.Parse(by[3].Explanation);
        Assert.InRange(explanation.RootElement.GetProperty("total").GetDouble(), by[3].Weight - 0.001, by[3].Weight + 0.001);
        var atena = explanation.RootElement.GetProperty("contributions").EnumerateArray().Single(c => c.GetProperty("comparison").GetString() == "atena_no");
        Assert.Equal("missing", atena.GetProperty("level").GetString());
        Assert.Equal(1, result.Stats.ReturnedNumbers);

        // The person is the registry as it holds the resident now, and records of either number meet it on the number.
        Assert.Equal("0000000002", result.Persons[0].Representative.AtenaNo);
        Assert.Equal("atena", by[5].Method);
        Assert.Equal("atena", by[6].Method);
        Assert.Empty(result.Review);
    }

    [Fact]
    public void Resolve_BothNumbersAlive_AreNotJoined()
    {
        // The earlier number never closed (the snapshot holds it): two residents with one name and birth date.
        var stillHere = IdentityResolver.Resolve(
            [
                Movement(1, "0000000001", RegistryEvent.MoveIn, new(2015, 5, 1)),
                Snapshot(2, "0000000001"),
                Movement(3, "0000000002", RegistryEvent.MoveIn, new(2024, 7, 1)),
                Snapshot(4, "0000000002"),
            ],
            LinkageModel.Default);
        Assert.Equal(2, stillHere.Persons.Count);
        Assert.DoesNotContain(stillHere.Assignments, a => a.Method == ReturnedResidents.Method);

        // The later number opened before the earlier one closed: both were alive at once.
        var overlapping = IdentityResolver.Resolve(
            [
                Movement(1, "0000000001", RegistryEvent.MoveIn, new(2015, 5, 1)),
                Movement(2, "0000000001", RegistryEvent.MoveOut, new(2024, 9, 30)),
                Movement(3, "0000000002", RegistryEvent.MoveIn, new(2024, 7, 1)),
                Snapshot(4, "0000000002"),
            ],
            LinkageModel.Default);
        Assert.Equal(2, overlapping.Persons.Count);

        // Both numbers in the registry's snapshot are both alive, whatever their movements say.
        var bothInSnapshot = IdentityResolver.Resolve(
            [
                Movement(1, "0000000001", RegistryEvent.MoveOut, new(2021, 3, 31)),
                Snapshot(2, "0000000001"),
                Movement(3, "0000000002", RegistryEvent.MoveIn, new(2024, 7, 1)),
                Snapshot(4, "0000000002"),
            ],
            LinkageModel.Default);
        Assert.Equal(2, bothInSnapshot.Persons.Count);
    }

    [Fact]
    public void Resolve_NamesakeBornOnAnotherDay_IsNotJoined()
    {
        var result = IdentityResolver.Resolve(
            [
                Movement(1, "0000000001", RegistryEvent.MoveOut, new(2021, 3, 31)),
                Movement(2, "0000000002", RegistryEvent.MoveIn, new(2024, 7, 1), birth: new DateOnly(1988, 4, 3)),
                Snapshot(3, "0000000002", birth: new DateOnly(1988, 4, 3)),
            ],
            LinkageModel.Default);
        Assert.Equal(2, result.Persons.Count);
        Assert.Empty(result.Review);
    }

    [Fact]
    public void Resolve_TwinMovesInAfterTheOtherMovedOut_IsNotJoined()
    {
        // Same surname, birth date and sex, another given name: the twin guard objects whatever the weight.
        var result = IdentityResolver.Resolve(
            [
                Movement(1, "0000000001", RegistryEvent.MoveOut, new(2021, 3, 31), given: "美咲", givenKana: "ミサキ"),
                Movement(2, "0000000002", RegistryEvent.MoveIn, new(2024, 7, 1), given: "美優", givenKana: "ミユ"),
                Snapshot(3, "0000000002", given: "美優", givenKana: "ﾐﾕ"),
            ],
            LinkageModel.Default);
        Assert.Equal(2, result.Persons.Count);
        Assert.DoesNotContain(result.Assignments, a => a.Method == ReturnedResidents.Method);
    }

    [Fact]
    public void Resolve_TwoLaterNumbersAliveTogetherMatchOneEarlier_GoToReviewUnjoined()
    {
        var result = IdentityResolver.Resolve(
            [
                Movement(1, "0000000001", RegistryEvent.MoveOut, new(2021, 3, 31)),
                Movement(2, "0000000002", RegistryEvent.MoveIn, new(2023, 7, 1)),
                Movement(3, "0000000003", RegistryEvent.MoveIn, new(2024, 2, 1)),
            ],
            LinkageModel.Default);
        Assert.Equal(3, result.Persons.Count);
        Assert.DoesNotContain(result.Assignments, a => a.Method == ReturnedResidents.Method);
        var pairs = result.Review.Where(r => r.Reason == ReturnedResidents.AmbiguousReason).Select(r => (r.RecordId, r.CandidateRecordId)).Order().ToList();
        Assert.Equal([(2L, 1L), (3L, 1L)], pairs);
    }

    [Fact]
    public void Resolve_TwoEarlierNumbersMatchOneLater_GoToReviewUnjoined()
    {
        var result = IdentityResolver.Resolve(
            [
                Movement(1, "0000000001", RegistryEvent.MoveOut, new(2020, 3, 31)),
                Movement(2, "0000000002", RegistryEvent.MoveOut, new(2021, 3, 31)),
                Movement(3, "0000000003", RegistryEvent.MoveIn, new(2024, 2, 1)),
            ],
            LinkageModel.Default);
        Assert.Equal(3, result.Persons.Count);
        Assert.Equal(2, result.Review.Count(r => r.Reason == ReturnedResidents.AmbiguousReason && r.RecordId == 3));
    }

    [Fact]
    public void Resolve_LeftAndCameBackTwice_AllThreeNumbersAreOnePerson()
    {
        var result = IdentityResolver.Resolve(
            [
                Movement(1, "0000000001", RegistryEvent.MoveIn, new(2012, 4, 1)),
                Movement(2, "0000000001", RegistryEvent.MoveOut, new(2016, 3, 31)),
                Movement(3, "0000000002", RegistryEvent.MoveIn, new(2018, 4, 1)),
                Movement(4, "0000000002", RegistryEvent.MoveOut, new(2021, 3, 31)),
                Movement(5, "0000000003", RegistryEvent.MoveIn, new(2024, 7, 1)),
                Snapshot(6, "0000000003"),
            ],
            LinkageModel.Default);
        Assert.Single(result.Persons);
        Assert.Equal("0000000003", result.Persons[0].Representative.AtenaNo);
        Assert.Equal([3L, 4L, 5L, 6L], result.Assignments.Where(a => a.Method == ReturnedResidents.Method).Select(a => a.RecordId).Order());
        Assert.Empty(result.Review);
    }

    [Fact]
    public void Resolve_CorrectionRowAfterTheMoveOut_StillClosesTheNumber()
    {
        // A 職権訂正 dated like the 転出 it corrects neither opens nor closes the number.
        var result = IdentityResolver.Resolve(
            [
                Movement(1, "0000000001", RegistryEvent.MoveOut, new(2021, 3, 31), givenKana: "ハナ"),
                Movement(2, "0000000001", "correction", new(2021, 3, 31)),
                Movement(3, "0000000002", RegistryEvent.MoveIn, new(2024, 7, 1)),
            ],
            LinkageModel.Default);
        Assert.Single(result.Persons);
    }

    [Fact]
    public void Resolve_SnapshotOnlyRegistry_KeepsOnePersonPerNumber()
    {
        // Without movements nothing says a number closed: same name and birth date stay two residents.
        var result = IdentityResolver.Resolve([Snapshot(1, "0000000001"), Snapshot(2, "0000000002")], LinkageModel.Default);
        Assert.Equal(2, result.Persons.Count);
    }
}
