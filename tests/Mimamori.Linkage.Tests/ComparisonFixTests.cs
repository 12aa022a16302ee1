using Mimamori.Kernel.People;
using Mimamori.Linkage.Clustering;
using Mimamori.Linkage.Comparisons;
using Mimamori.Linkage.Records;
using Mimamori.Linkage.Scoring;

namespace Mimamori.Linkage.Tests;

/// <summary>Ways one person is written that the comparisons must not take for two people.</summary>
public sealed class ComparisonFixTests
{
    private static LinkRecord Record(long id, bool registry, string? atena, PersonName name, DateOnly? birth, Sex sex = Sex.Female, string? address = null, string source = "jisou") =>
        new(id, registry ? "jumin_legacy" : source, registry, atena, registry ? "H" + id : null, registry ? "01" : null, name, birth, sex, address);

    [Fact]
    public void Name_SameKanji_ReadingWrittenGivenNameFirst_IsExact_ButAnotherReadingStaysDifferent()
    {
        var register = LinkKeys.Of(Record(1, true, "1", new PersonName("小林", "みちほ", "コバヤシ", "ミチホ"), null));
        var swapped = LinkKeys.Of(Record(2, false, null, PersonName.FromFull("小林 みちほ", "ﾐﾁﾎ ｺﾊﾞﾔｼ"), null));
        var other = LinkKeys.Of(Record(3, false, null, PersonName.FromFull("小林 みちほ", "ｺﾊﾞﾔｼ ﾐｽﾞﾎ"), null));
        Assert.Equal("exact", PairComparer.Name(swapped, register));
        Assert.Equal("exact", PairComparer.Name(register, swapped));
        Assert.Equal("different", PairComparer.Name(other, register));
    }

    [Theory]
    [InlineData("2020-03-11", "2019-03-11", "year_slip")]
    [InlineData("2019-03-11", "2020-03-11", "year_slip")]
    [InlineData("2019-03-11", "2018-03-11", "one_digit")]
    [InlineData("2020-03-11", "2018-03-11", "different")]
    [InlineData("2020-03-11", "2019-03-12", "different")]
    public void BirthDate_OfTwoRecords_AYearOffOnTheSameDay_IsAYearSlip(string a, string b, string level)
    {
        static LinkRecord On(string d) => Record(1, false, null, new PersonName("植田", "想羅", "ウエダ", "ソラ"), DateOnly.Parse(d, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(level, PairComparer.BirthDate(On(a), On(b)));
        // The generic comparison of staff lists keeps its own levels.
        Assert.NotEqual("year_slip", PairComparer.BirthDate(On(a).BirthDate, On(b).BirthDate));
    }

    [Fact]
    public void Resolve_BirthYearKeyedOneOff_LinksToTheChild_NotToTheNamesakeBornThatDay()
    {
        var result = IdentityResolver.Resolve(
            [
                Record(1, true, "0000000001", new PersonName("植田", "想羅", "ウエダ", "ソラ"), new DateOnly(2019, 3, 11), address: "警固二丁目7-14"),
                Record(2, true, "0000000002", new PersonName("長谷川", "麻更", "ハセガワ", "マサラ"), new DateOnly(2020, 3, 11), address: "警固二丁目7-15"),
                Record(3, false, null, new PersonName("植田", "想羅", "うえだ", "そら"), new DateOnly(2020, 3, 11), source: "komu_attendance"),
            ],
            LinkageModel.Default);
        var personOf = result.Assignments.ToDictionary(a => a.RecordId, a => a.Person);
        Assert.Equal(personOf[1], personOf[3]);
        Assert.Contains("\"level\":\"year_slip\"", result.Assignments.Single(a => a.RecordId == 3).Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_SameKanjiGivenName_ReadTwoWays_IsNotTakenForTwins()
    {
        var birth = new DateOnly(1990, 12, 4);
        var result = IdentityResolver.Resolve(
            [
                Record(1, true, "0100579161", new PersonName("張", "娜", "チョウ", "ナー"), birth, address: "南片江四丁目2-7"),
                Record(2, false, "0100579161", new PersonName("張", "娜", "チョウ", "ナウ"), birth, source: "jido_teate"),
            ],
            LinkageModel.Default);
        Assert.Single(result.Persons);
        Assert.Equal("atena", result.Assignments.Single(a => a.RecordId == 2).Method);
        Assert.DoesNotContain(result.Review, r => r.Reason == IdentityResolver.NumberConflictReason);
    }

    [Fact]
    public void Resolve_TwinsWithOneReadingEach_StayTwoPeople_WhateverTheirFamilyNameAndNumber()
    {
        var birth = new DateOnly(2018, 5, 19);
        var result = IdentityResolver.Resolve(
            [
                Record(1, true, "0000000001", new PersonName("西尾", "仁華", "ニシオ", "ヒトカ"), birth, address: "清川三丁目13-5"),
                Record(2, true, "0000000002", new PersonName("西尾", "翠花", "ニシオ", "スイカ"), birth, address: "清川三丁目13-5"),
                Record(3, false, "0000000001", new PersonName("西尾", "翠花", "ニシオ", "スイカ"), birth, source: "gakko_kenshin"),
            ],
            LinkageModel.Default);
        var personOf = result.Assignments.ToDictionary(a => a.RecordId, a => a.Person);
        Assert.Equal(personOf[2], personOf[3]);
    }

    [Fact]
    public void Address_WrittenWithTheCitysOwnName_IsTheRegistrysAddress_OnlyForThatCity()
    {
        var register = LinkKeys.Of(Record(1, true, "1", new PersonName("小林", "みちほ", "コバヤシ", "ミチホ"), null, address: "博多区石城町25-5"));
        var withCity = LinkKeys.Of(Record(2, false, null, new PersonName("小林", "みちほ", "コバヤシ", "ミチホ"), null, address: "福岡市博多区石城町25-5"));
        var withPrefecture = LinkKeys.Of(Record(3, false, null, new PersonName("小林", "みちほ", "コバヤシ", "ミチホ"), null, address: "福岡県福岡市博多区石城町25-5"));
        var otherCity = LinkKeys.Of(Record(4, false, null, new PersonName("小林", "みちほ", "コバヤシ", "ミチホ"), null, address: "大野城市博多区石城町25-5"));
        Assert.Equal("different", PairComparer.Address(withCity, register));
        Assert.Equal("exact", PairComparer.Address(withCity, register, "福岡市"));
        Assert.Equal("exact", PairComparer.Address(register, withPrefecture, "福岡市"));
        Assert.Equal("different", PairComparer.Address(otherCity, register, "福岡市"));
    }

    [Fact]
    public void OwnMunicipality_IsTheCityMostDepartmentAddressesName_AndNothingWithoutAClearMajority()
    {
        LinkRecord At(long id, string address, bool registry = false) => Record(id, registry, null, new PersonName("山田", "花子", "ヤマダ", "ハナコ"), null, address: address);
        var fukuoka = Enumerable.Range(0, 8).Select(i => At(i, $"福岡市博多区石城町{i + 1}-5"))
            .Concat([At(20, "大野城市中央五丁目2-16"), At(21, "糸島市中央一丁目10-9"), At(22, "博多区石城町1-1"), At(23, "戸田市上戸田1-1", registry: true)])
            .ToList();
        Assert.Equal("福岡市", OwnMunicipality.Of(fukuoka));
        var split = Enumerable.Range(0, 6).Select(i => At(i, $"福岡市博多区石城町{i + 1}-5")).Concat(Enumerable.Range(10, 6).Select(i => At(i, $"大野城市中央{i}-1"))).ToList();
        Assert.Equal(string.Empty, OwnMunicipality.Of(split));
        Assert.Equal(string.Empty, OwnMunicipality.Of([At(1, "上戸田一丁目2-3")]));
    }

    [Fact]
    public void Training_KeepsTheMunicipalityInTheModel_AndTheScorerUsesIt()
    {
        var records = new List<LinkRecord>();
        for (var i = 0; i < 12; i++)
        {
            var name = new PersonName("小林", "みちほ" + i, "コバヤシ", "ミチホ" + i);
            var birth = new DateOnly(2010, 1, 1).AddDays(i * 40);
            records.Add(Record(2 * i, true, $"{i:0000000000}", name, birth, address: $"博多区石城町{i + 1}-5"));
            records.Add(Record((2 * i) + 1, false, null, name, birth, address: $"福岡市博多区石城町{i + 1}-5"));
        }

        var model = Mimamori.Linkage.Training.RegistryTraining.Train(records, LinkageModel.Default).Model;
        Assert.Equal("福岡市", model.Municipality);
        var explanation = new PairScorer(model).Explain(records[1], LinkKeys.Of(records[1]), records[0], LinkKeys.Of(records[0]));
        Assert.Equal("exact", explanation.Contributions.Single(c => c.Comparison == "address").Level);
        var json = model.ToJson();
        Assert.Contains("\"municipality\":\"福岡市\"", System.Text.RegularExpressions.Regex.Unescape(json), StringComparison.Ordinal);
    }
}
