using Mimamori.Kernel.People;
using Mimamori.Linkage.Blocking;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;

namespace Mimamori.Linkage.Tests.Blocking;

/// <summary>
/// Department records whose family and given names were written the other way round (メイ in the 氏 column) meet their
/// registry person through the swapped rules, and link to them; twins and namesakes the rules put beside them are not
/// merged.
/// </summary>
public sealed class SwappedNameBlockingTests
{
    private static readonly DateOnly AsOf = new(2026, 3, 31);

    private static LinkRecord Registry(long id, string atena, string family, string given, string familyKana, string givenKana, DateOnly birth, Sex sex, string address = "上戸田一丁目2番3号") =>
        new(id, "jumin_legacy", true, atena, "H" + atena, "02", new PersonName(family, given, familyKana, givenKana), birth, sex, address);

    private static LinkRecord Other(long id, string family, string given, string familyKana, string givenKana, DateOnly? birth, Sex sex = Sex.Unknown, string? address = null) =>
        new(id, "npo_shokudo", false, null, null, null, new PersonName(family, given, familyKana, givenKana), birth, sex, address);

    private static LinkRecord[] Spine =>
    [
        Registry(1, "0000000001", "小林", "美穂", "コバヤシ", "ミホ", new DateOnly(2015, 5, 5), Sex.Female),
        Registry(2, "0000000002", "森", "健太", "モリ", "ケンタ", new DateOnly(2015, 5, 5), Sex.Male),

        // Twins: the same birth date, and given names with the same first letter.
        Registry(3, "0000000003", "山田", "優太", "ヤマダ", "ユウタ", new DateOnly(2012, 3, 3), Sex.Male, "本町一丁目1番1号"),
        Registry(4, "0000000004", "山田", "優斗", "ヤマダ", "ユウト", new DateOnly(2012, 3, 3), Sex.Male, "本町一丁目1番1号"),

        // Namesakes: a woman and a girl of the same name in two households.
        Registry(5, "0000000005", "佐藤", "花子", "サトウ", "ハナコ", new DateOnly(1961, 1, 1), Sex.Female, "新曽二丁目5番"),
        Registry(6, "0000000006", "佐藤", "花子", "サトウ", "ハナコ", new DateOnly(2014, 2, 2), Sex.Female, "笹目三丁目7番"),
    ];

    private static (RegistryBlocking Blocking, LinkRecord[] Spine) Index()
    {
        var spine = Spine;
        var byAtena = spine.Select((r, i) => (r.AtenaNo!, i)).ToDictionary(x => x.Item1, x => x.i);
        return (RegistryBlocking.Of(spine, [.. spine.Select(LinkKeys.Of)], byAtena), spine);
    }

    private static List<long> Candidates(RegistryBlocking blocking, LinkRecord[] spine, LinkRecord r)
    {
        var into = new HashSet<int>();
        blocking.Candidates(r, LinkKeys.Of(r), into);
        return [.. into.Select(p => spine[p].RecordId).Order()];
    }

    private static string[] RulesOf(RegistryBlocking blocking, LinkRecord r, int person)
    {
        var mask = blocking.RulesPairing(r, LinkKeys.Of(r), person);
        return [.. RegistryBlocking.Rules.Where((_, i) => (mask & (1u << i)) != 0)];
    }

    [Fact]
    public void Candidates_ReadingWrittenGivenNameFirstWithoutBirthDate_MeetsThePersonOnlyByTheSwappedReading()
    {
        var (blocking, spine) = Index();
        var swapped = Other(101, string.Empty, string.Empty, "みほ", "こばやし", null);
        var unspaced = Other(102, string.Empty, string.Empty, "ﾐﾎｺﾊﾞﾔｼ", string.Empty, null);

        Assert.Equal([1L], Candidates(blocking, spine, swapped));
        Assert.Equal(["swapped_reading_without_birth_date"], RulesOf(blocking, swapped, 0));

        // A reading without a space cannot be split; it is the registry's reading given name first all the same.
        Assert.Equal([1L], Candidates(blocking, spine, unspaced));
        Assert.Equal(["swapped_reading_without_birth_date"], RulesOf(blocking, unspaced, 0));
    }

    [Fact]
    public void Candidates_NameAndReadingSwappedWithBirthDate_MeetThePersonByTheSwappedInitials()
    {
        var (blocking, spine) = Index();
        var swapped = Other(103, "美穂", "小林", "ミホ", "コバヤシ", new DateOnly(2015, 5, 5), Sex.Female);

        // No other rule holds a key of this record that the person shares: every first letter is compared with the
        // same part on the other side, and the readings differ.
        Assert.Equal(["birth_date_swapped_initials"], RulesOf(blocking, swapped, 0));

        // 森 健太, born the same day, is not in the block: his initials in the other order are ケ and モ.
        Assert.Equal([1L], Candidates(blocking, spine, swapped));
    }

    [Fact]
    public void Resolve_SwappedRecords_LinkToTheirPerson()
    {
        var records = Spine.Concat(
        [
            // The NPO's list: hiragana given name first and the kanji as usual, no birth date, an age.
            Other(101, "小林", "美穂", "みほ", "こばやし", null) with { BirthWindow = BirthWindow.OfAge(AsOf, 10, 1) },

            // A hospital registration with both parts in the other's field.
            Other(103, "美穂", "小林", "ミホ", "コバヤシ", new DateOnly(2015, 5, 5), Sex.Female, "上戸田一丁目2番3号"),
        ]).ToList();

        var result = IdentityResolver.Resolve(records, LinkageModel.Default);

        var personOf = result.Assignments.ToDictionary(a => a.RecordId, a => a.Person);
        Assert.Equal(personOf[1], personOf[101]);
        Assert.Equal(personOf[1], personOf[103]);
        Assert.Equal("probabilistic", result.Assignments.Single(a => a.RecordId == 101).Method);
        Assert.Equal("probabilistic", result.Assignments.Single(a => a.RecordId == 103).Method);
        Assert.Equal(Spine.Length, result.Persons.Count);
        var counted = result.Blocking!.ToDictionary(c => c.Rule);
        Assert.Equal(1, counted["swapped_reading_without_birth_date"].Pairs);
        Assert.Equal(1, counted["birth_date_swapped_initials"].Pairs);
    }

    [Fact]
    public void Resolve_TwinsInOneSwappedBlock_EachRecordLinksToItsOwnTwin()
    {
        var (blocking, spine) = Index();
        var yuta = Other(104, "優太", "山田", "ユウタ", "ヤマダ", new DateOnly(2012, 3, 3), Sex.Male, "本町一丁目1番1号");
        var yuto = Other(105, "優斗", "山田", "ユウト", "ヤマダ", new DateOnly(2012, 3, 3), Sex.Male, "本町一丁目1番1号");

        // Both twins' given names begin with ユ, so the swapped initials put both in each record's block.
        Assert.Equal([3L, 4L], Candidates(blocking, spine, yuta));
        Assert.Contains("birth_date_swapped_initials", RulesOf(blocking, yuta, 3));

        var result = IdentityResolver.Resolve([.. Spine, yuta, yuto], LinkageModel.Default);

        var personOf = result.Assignments.ToDictionary(a => a.RecordId, a => a.Person);
        Assert.Equal(personOf[3], personOf[104]);
        Assert.Equal(personOf[4], personOf[105]);
        Assert.NotEqual(personOf[3], personOf[4]);
        Assert.Equal(Spine.Length, result.Persons.Count);
    }

    [Fact]
    public void Resolve_SwappedNameOfTwoNamesakes_LinksOnlyWhereTheAgeTells()
    {
        var (blocking, spine) = Index();
        var unknownAge = Other(106, "佐藤", "花子", "ハナコ", "サトウ", null);
        Assert.Equal([5L, 6L], Candidates(blocking, spine, unknownAge));

        var result = IdentityResolver.Resolve([.. Spine, unknownAge], LinkageModel.Default);

        // Without an age the two score alike: a new person and a pair for review, neither namesake gains the record.
        var byRecord = result.Assignments.ToDictionary(a => a.RecordId);
        Assert.Equal("new", byRecord[106].Method);
        Assert.Contains(result.Review, p => p.RecordId == 106 && p.Reason == "two candidates score alike");
        Assert.NotEqual(byRecord[5].Person, byRecord[6].Person);

        // A child's age puts the woman outside the window.
        var child = Other(107, "佐藤", "花子", "はなこ", "さとう", null) with { BirthWindow = BirthWindow.OfAge(AsOf, 12, 1) };
        var withAge = IdentityResolver.Resolve([.. Spine, child], LinkageModel.Default).Assignments.ToDictionary(a => a.RecordId);
        Assert.Equal(withAge[6].Person, withAge[107].Person);
        Assert.Equal("probabilistic", withAge[107].Method);
    }

    [Fact]
    public void Resolve_UnregisteredChildInTwoLists_OneWritingTheNameTheOtherWayRound_IsOnePerson()
    {
        var result = IdentityResolver.Resolve(
        [
            Spine[0],
            Other(201, "陳", "明", "チン", "メイ", null),
            Other(202, "陳", "明", "メイ", "チン", null),
        ],
            LinkageModel.Default);

        var personOf = result.Assignments.ToDictionary(a => a.RecordId, a => a.Person);
        Assert.Equal(personOf[201], personOf[202]);
        Assert.Equal(2, result.Persons.Count);
    }
}
