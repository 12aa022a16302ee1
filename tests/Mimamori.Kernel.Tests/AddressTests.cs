using Mimamori.Kernel.Places;

namespace Mimamori.Kernel.Tests;

public class AddressTests
{
    [Fact]
    public void Parse_FullAddressWithBuilding_SplitsEveryPart()
    {
        var a = Address.Parse("埼玉県戸田市上戸田一丁目２番３号　コーポ戸田１０１");
        Assert.Equal("埼玉県", a.Prefecture);
        Assert.Equal("戸田市", a.City);
        Assert.Equal("上戸田", a.Town);
        Assert.Equal(1, a.Chome);
        Assert.Equal("2", a.Banchi);
        Assert.Equal("3", a.Go);
        Assert.Equal("コーポ戸田", a.Building);
        Assert.Equal("101", a.Room);
    }

    [Theory]
    [InlineData("埼玉県戸田市上戸田一丁目２番３号　コーポ戸田１０１")]
    [InlineData("上戸田1-2-3")]
    [InlineData("上戸田１丁目2番地3")]
    [InlineData("上戸田１丁目２番３号")]
    [InlineData("戸田市上戸田1-2-3")]
    [InlineData("埼玉県戸田市上戸田1丁目2-3")]
    [InlineData("上戸田１－２－３")]
    [InlineData("上戸田1‐2‐3")]
    [InlineData("上戸田1ー2ー3")]
    [InlineData("上戸田1−2−3")]
    [InlineData("上戸田1─2─3")]
    [InlineData("上戸田1–2–3")]
    [InlineData("上戸田1ｰ2ｰ3")]
    [InlineData("上戸田一丁目二番三号")]
    [InlineData("上戸田1丁目2番地の3")]
    [InlineData("上戸田 1-2-3 コーポ戸田101号室")]
    [InlineData("上戸田1-2-3-101")]
    [InlineData("上戸田一丁目 2番 3号")]
    [InlineData("大字上戸田1-2-3")]
    public void Key_SpellingsOfOnePlace_AreEqual(string address)
    {
        Assert.Equal("上戸田|1|2|3", AddressKey.Of(address));
    }

    [Theory]
    [InlineData("上戸田1-2-4")]
    [InlineData("上戸田2-2-3")]
    [InlineData("下戸田1-2-3")]
    [InlineData("上戸田1-2")]
    public void Key_DifferentPlaces_AreNotEqual(string address)
    {
        Assert.NotEqual("上戸田|1|2|3", AddressKey.Of(address));
    }

    [Theory]
    [InlineData("一", 1)]
    [InlineData("九", 9)]
    [InlineData("十", 10)]
    [InlineData("十一", 11)]
    [InlineData("十九", 19)]
    [InlineData("二十", 20)]
    [InlineData("二十三", 23)]
    [InlineData("九十", 90)]
    [InlineData("九十九", 99)]
    public void Parse_KanjiChome_IsReadAsNumber(string kanji, int expected)
    {
        var a = Address.Parse($"天神{kanji}丁目4番5号");
        Assert.Equal("天神", a.Town);
        Assert.Equal(expected, a.Chome);
        Assert.Equal("4", a.Banchi);
        Assert.Equal("5", a.Go);
    }

    [Theory]
    [InlineData("一〇一", "101")]
    [InlineData("百五", "105")]
    [InlineData("二百十", "210")]
    [InlineData("007", "7")]
    [InlineData("0", "0")]
    public void NumeralValue_ReadsPositionalAndCountingKanji(string numeral, string expected)
    {
        Assert.Equal(expected, Address.NumeralValue(numeral));
    }

    [Fact]
    public void Parse_DesignatedCityWard_IsPartOfTheCity()
    {
        var a = Address.Parse("福岡県福岡市中央区天神一丁目8番1号");
        Assert.Equal("福岡県", a.Prefecture);
        Assert.Equal("福岡市中央区", a.City);
        Assert.Equal("天神", a.Town);
        Assert.Equal("天神|1|8|1", a.Key);
    }

    [Fact]
    public void Parse_District_IsPartOfTheCity()
    {
        var a = Address.Parse("埼玉県北足立郡伊奈町小室1234番地5");
        Assert.Equal("北足立郡伊奈町", a.City);
        Assert.Equal("小室", a.Town);
        Assert.Null(a.Chome);
        Assert.Equal("1234", a.Banchi);
        Assert.Equal("5", a.Go);
    }

    [Fact]
    public void Parse_LotNumberWithoutChome_IsBanchiAndGo()
    {
        var a = Address.Parse("美女木123-4");
        Assert.Equal("美女木", a.Town);
        Assert.Null(a.Chome);
        Assert.Equal("123", a.Banchi);
        Assert.Equal("4", a.Go);
    }

    [Theory]
    [InlineData("三田二丁目3番4号", "三田", 2)]
    [InlineData("五反田一丁目1番1号", "五反田", 1)]
    [InlineData("十日市場町1-2-3", "十日市場町", 1)]
    [InlineData("八丁堀1-2-3", "八丁堀", 1)]
    public void Parse_TownWithKanjiNumerals_KeepsTheTownWhole(string address, string town, int chome)
    {
        var a = Address.Parse(address);
        Assert.Equal(town, a.Town);
        Assert.Equal(chome, a.Chome);
    }

    [Fact]
    public void Parse_BanchoTown_IsNotReadAsANumber()
    {
        var a = Address.Parse("東京都千代田区一番町10-2");
        Assert.Equal("千代田区", a.City);
        Assert.Equal("一番町", a.Town);
        Assert.Equal("10", a.Banchi);
        Assert.Equal("2", a.Go);
    }

    [Fact]
    public void Parse_TownNameEndingInMachi_WithoutPrefecture_IsNotTakenForACity()
    {
        var a = Address.Parse("本町1-2-3");
        Assert.Equal(string.Empty, a.City);
        Assert.Equal("本町", a.Town);
        Assert.Equal("本町|1|2|3", a.Key);
    }

    [Fact]
    public void Parse_TownOnly_HasNoNumbers()
    {
        var a = Address.Parse("埼玉県戸田市上戸田");
        Assert.Equal("戸田市", a.City);
        Assert.Equal("上戸田", a.Town);
        Assert.Null(a.Chome);
        Assert.Null(a.Banchi);
        Assert.Equal("上戸田|||", a.Key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-")]
    [InlineData("1-2-3")]
    [InlineData("上戸田99999999999999丁目")]
    public void Parse_OddInput_DoesNotThrow(string? text)
    {
        var a = Address.Parse(text);
        Assert.NotNull(a.Key);
    }

    [Fact]
    public void Parse_BuildingWithLetterRoom_SplitsRoom()
    {
        var a = Address.Parse("上戸田1-2-3 戸田ハイツA-201");
        Assert.Equal("戸田ハイツ", a.Building);
        Assert.Equal("A-201", a.Room);
    }

    [Theory]
    [InlineData("霞ヶ関", "霞が関")]
    [InlineData("霞ケ関", "霞ヶ関")]
    [InlineData("一ノ瀬", "一の瀬")]
    [InlineData("一之瀬", "一ノ瀬")]
    [InlineData("山﨑", "山崎")]
    [InlineData("大字美女木", "美女木")]
    [InlineData("ｶﾐﾄﾀﾞ", "カミトダ")]
    public void TownKey_RegisterSpellings_AreEqual(string a, string b)
    {
        Assert.Equal(AddressKey.TownKey(a), AddressKey.TownKey(b));
    }

    [Fact]
    public void TownKey_HiraganaTown_IsNotRewritten()
    {
        // が inside a kana word is not a connecting particle.
        Assert.Equal("ふじがおか", AddressKey.TownKey("ふじがおか"));
    }
}

public class AddressCityTests
{
    [Theory]
    [InlineData("三重県四日市市日永1-2-3", "四日市市", "日永")]
    [InlineData("四日市市日永1-2-3", "四日市市", "日永")]
    [InlineData("神奈川県横浜市緑区十日市場町801-8", "横浜市緑区", "十日市場町")]
    [InlineData("さいたま市浦和区高砂3-15-1", "さいたま市浦和区", "高砂")]
    public void Parse_CityNamesContainingIchi_SplitCorrectly(string address, string city, string town)
    {
        var a = Address.Parse(address);
        Assert.Equal(city, a.City);
        Assert.Equal(town, a.Town);
    }
}
