using Mimamori.Linkage.Pprl;
using Mimamori.Linkage.Records;

namespace Mimamori.Linkage.Tests;

public sealed class PprlTests
{
    private static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private static PreparedRecord Person(string name, string kana, DateOnly birth, string sex = "F", string address = "戸田市上戸田一丁目2番3号") =>
        PreparedRecord.Of(0, FieldRecord.Empty(0, "x") with { FullName = name, FullKana = kana, BirthDate = birth, Sex = sex, Address = address });

    [Fact]
    public void Encode_FilterIsBalancedAndLongEnough()
    {
        var encoding = new BloomEncoder(PprlKey.From(Secret)).Encode("1", Person("高橋　花子", "ﾀｶﾊｼ ﾊﾅｺ", new DateOnly(2015, 4, 3)));

        Assert.True(encoding.Filter.Length * 8 >= 2048);
        Assert.Equal(BloomEncoder.Bits, encoding.Filter.Sum(b => System.Numerics.BitOperations.PopCount(b)));
        Assert.Equal(4, encoding.BlockKeys.Count);
    }

    [Fact]
    public void Encode_VariantKanjiAndKanaWidth_EncodeAlikeAndAStrangerDoesNot()
    {
        var encoder = new BloomEncoder(PprlKey.From(Secret));
        var registry = encoder.Encode("r", Person("髙橋　花子", "たかはし はなこ", new DateOnly(2015, 4, 3)));
        var partner = encoder.Encode("p", Person("高橋 花子", "ﾀｶﾊｼ ﾊﾅｺ", new DateOnly(2015, 4, 3), address: "戸田市上戸田1-2-3"));
        var typo = encoder.Encode("t", Person("高橋 花子", "ﾀｶﾊｼ ﾊﾅｺ", new DateOnly(2015, 4, 8)));
        var stranger = encoder.Encode("s", Person("佐藤 美咲", "ｻﾄｳ ﾐｻｷ", new DateOnly(2015, 4, 3)));

        Assert.Equal(1.0, registry.Dice(partner), 3);
        Assert.True(registry.Dice(typo) > PprlLinker.DefaultThreshold, $"one day mistyped: {registry.Dice(typo):0.000}");
        Assert.True(registry.Dice(stranger) < PprlLinker.DefaultThreshold, $"a stranger born the same day: {registry.Dice(stranger):0.000}");
        Assert.True(registry.Dice(typo) > registry.Dice(stranger));
        Assert.Contains(partner.BlockKeys, registry.BlockKeys.Contains);
    }

    [Fact]
    public void Encode_UnderADifferentSecret_IsUnlinkable()
    {
        var record = Person("高橋　花子", "ﾀｶﾊｼ ﾊﾅｺ", new DateOnly(2015, 4, 3));
        var ours = new BloomEncoder(PprlKey.From(Secret)).Encode("a", record);
        var other = new BloomEncoder(PprlKey.From([.. Secret.Select(b => (byte)(b ^ 0x5A))])).Encode("b", record);

        Assert.True(ours.Dice(other) < 0.6, $"same person, other project: {ours.Dice(other):0.000}");
        Assert.Empty(ours.BlockKeys.Intersect(other.BlockKeys));
        Assert.DoesNotContain(PprlLinker.Link([other], [ours]), m => m.Linked);
    }

    [Fact]
    public void Link_FindsThePartnerRecordsPersonAndLeavesAStrangerUnlinked()
    {
        var encoder = new BloomEncoder(PprlKey.From(Secret));
        List<PprlEncoding> own =
        [
            encoder.Encode("A1", Person("渡辺　翔太", "ﾜﾀﾅﾍﾞ ｼｮｳﾀ", new DateOnly(2012, 7, 1), "M")),
            encoder.Encode("A2", Person("渡辺　陽菜", "ﾜﾀﾅﾍﾞ ﾋﾅ", new DateOnly(2012, 7, 1), "F")),
            encoder.Encode("A3", Person("佐藤　美咲", "ｻﾄｳ ﾐｻｷ", new DateOnly(2010, 1, 9), "F")),
        ];
        List<PprlEncoding> partner =
        [
            encoder.Encode("P1", Person("渡邊 陽菜", "ワタナベ ヒナ", new DateOnly(2012, 7, 1), "F", "戸田市上戸田一丁目2-3")),
            encoder.Encode("P2", Person("山本 大翔", "ﾔﾏﾓﾄ ﾋﾛﾄ", new DateOnly(2012, 7, 1), "M")),
        ];

        var matches = PprlLinker.Link(partner, own).ToDictionary(m => m.PartnerId);

        Assert.True(matches["P1"].Linked);
        Assert.Equal("A2", matches["P1"].OwnId);
        Assert.False(matches["P2"].Linked);
    }

    [Fact]
    public void From_ShortSecret_IsRefused() => Assert.Throws<ArgumentException>(() => PprlKey.From(new byte[8]));
}
