using System.Text;
using Mimamori.Kernel.Text;

namespace Mimamori.Kernel.Tests;

public class VariantKanjiTests
{
    [Theory]
    [InlineData("髙", "高")]
    [InlineData("﨑", "崎")]
    [InlineData("邉", "辺")]
    [InlineData("邊", "辺")]
    [InlineData("齋", "斎")]
    [InlineData("齊", "斉")]
    [InlineData("澤", "沢")]
    [InlineData("濱", "浜")]
    [InlineData("嶋", "島")]
    [InlineData("德", "徳")]
    [InlineData("𠮷", "吉")]
    [InlineData("桒", "桑")]
    [InlineData("國", "国")]
    [InlineData("廣", "広")]
    [InlineData("眞", "真")]
    [InlineData("惠", "恵")]
    [InlineData("曾", "曽")]
    public void Fold_KnownVariant_GivesItsRepresentative(string variant, string representative)
    {
        Assert.Equal(representative, VariantKanji.Fold(variant));
    }

    [Theory]
    [InlineData("髙橋", "高橋")]
    [InlineData("渡邉", "渡辺")]
    [InlineData("渡邊", "渡辺")]
    [InlineData("山﨑", "山崎")]
    [InlineData("齋藤", "斎藤")]
    [InlineData("𠮷田", "吉田")]
    [InlineData("長嶋", "長島")]
    public void Fold_Surname_EqualsItsCommonSpelling(string variant, string common)
    {
        Assert.Equal(VariantKanji.Fold(common), VariantKanji.Fold(variant));
    }

    [Fact]
    public void Fold_SaiSurnames_StayDistinct_BecauseTheFamilyRegisterKeepsThemApart()
    {
        Assert.NotEqual(VariantKanji.Fold("斎藤"), VariantKanji.Fold("斉藤"));
        Assert.Equal("斎藤", VariantKanji.Fold("齋藤"));
        Assert.Equal("斉藤", VariantKanji.Fold("齊藤"));
    }

    [Theory]
    [InlineData("高橋")]
    [InlineData("山田太郎")]
    [InlineData("さとう")]
    [InlineData("ABC 123")]
    [InlineData("")]
    public void Fold_TextWithoutVariants_IsUnchanged(string text)
    {
        Assert.Equal(text, VariantKanji.Fold(text));
    }

    [Fact]
    public void Fold_Null_IsEmpty()
    {
        Assert.Equal(string.Empty, VariantKanji.Fold(null));
    }

    [Fact]
    public void Fold_SurrogatePair_IsTreatedAsOneCharacter()
    {
        var yoshida = "\U00020BB7田"; // 𠮷田: 𠮷 is U+20BB7, two UTF-16 units.
        Assert.Equal(3, yoshida.Length);
        Assert.Equal("吉田", VariantKanji.Fold(yoshida));
        Assert.Equal(new Rune('吉'), VariantKanji.Fold(new Rune(0x20BB7)));
    }

    [Fact]
    public void Fold_UnpairedSurrogate_IsKeptAsIs()
    {
        var broken = "髙\uD842";
        Assert.Equal("高\uD842", VariantKanji.Fold(broken));
    }

    [Theory]
    [InlineData("葛\U000E0100飾", "葛飾")] // IVS (VS17) on 葛
    [InlineData("辻\U000E0101", "辻")] // IVS (VS18) on 辻
    [InlineData("邉\U000E0103", "辺")] // selector removed and the base still folded
    [InlineData("高\uFE00", "高")] // standardized variation sequence (VS1)
    [InlineData("\uFE0F", "")]
    public void Fold_VariationSelectors_AreRemoved(string text, string expected)
    {
        Assert.Equal(expected, VariantKanji.Fold(text));
    }

    [Theory]
    [InlineData(0xFE00, true)]
    [InlineData(0xFE0F, true)]
    [InlineData(0xE0100, true)]
    [InlineData(0xE01EF, true)]
    [InlineData(0xFE10, false)]
    [InlineData(0xE01F0, false)]
    [InlineData(0x9AD9, false)]
    public void IsVariationSelector_CoversBothSelectorBlocks(int codePoint, bool expected)
    {
        Assert.Equal(expected, VariantKanji.IsVariationSelector(new Rune(codePoint)));
    }

    [Fact]
    public void Fold_CompatibilityIdeograph_AgreesWithNfkc()
    {
        // U+FA1A is the compatibility form of 祥 (U+7965); folding must not split the two.
        Assert.Equal(VariantKanji.Fold("\u7965"), VariantKanji.Fold("\uFA1A"));
        Assert.Equal("\u7965", VariantKanji.Fold("\uFA1A"));
    }

    [Fact]
    public void Fold_EveryMappedCharacter_IsIdempotentAndNfkcStable()
    {
        Assert.True(VariantKanji.MappedCount > 15_000, $"only {VariantKanji.MappedCount} mapped code points");
        for (var cp = 0x3400; cp <= 0x2FA1F; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            var rune = new Rune(cp);
            var once = VariantKanji.Fold(rune);
            Assert.Equal(once, VariantKanji.Fold(once));
            if (once != rune)
            {
                var text = once.ToString();
                Assert.Equal(text, text.Normalize(NormalizationForm.FormKC));
            }
        }
    }

    [Theory]
    [InlineData("蟬", "蝉")]
    [InlineData("鷗", "鴎")]
    [InlineData("髙", "高")]
    [InlineData("叱", "\U00020B9F")]
    public void Fold_PairsFromMozc_ShareARepresentative(string a, string b)
    {
        Assert.Equal(VariantKanji.Fold(a), VariantKanji.Fold(b));
    }

    [Fact]
    public void Fold_GeoloniaKyujiShinjiPairs_AllShareARepresentative()
    {
        var path = Path.Combine(RepositoryRoot(), "data", "reference", "itaiji-geolonia", "jisdai2_kyuji_shinji.tsv");
        var mismatches = File.ReadLines(path).Skip(1)
            .Select(l => l.Split('\t'))
            .Where(f => VariantKanji.Fold(f[0]) != VariantKanji.Fold(f[1]))
            .Select(f => $"{f[0]}→{VariantKanji.Fold(f[0])} vs {f[1]}→{VariantKanji.Fold(f[1])}")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join(", ", mismatches));
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Mimamori.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}

public class VariantKanjiTableTests
{
    [Fact]
    public void Build_Chain_ResolvesToTheEnd()
    {
        var map = VariantKanjiTable.Build([('A', 'B'), ('B', 'C')]);
        Assert.Equal('C', map['A']);
        Assert.Equal('C', map['B']);
        Assert.False(map.ContainsKey('C'));
    }

    [Fact]
    public void Build_Cycle_CollapsesOntoLowestCodePoint()
    {
        var map = VariantKanjiTable.Build([('C', 'B'), ('B', 'D'), ('D', 'C'), ('E', 'D')]);
        Assert.Equal('B', map['C']);
        Assert.Equal('B', map['D']);
        Assert.Equal('B', map['E']);
        Assert.False(map.ContainsKey('B'));
    }

    [Fact]
    public void Build_FirstEdgeForASource_Wins()
    {
        var map = VariantKanjiTable.Build([('A', 'B'), ('A', 'C')]);
        Assert.Equal('B', map['A']);
    }

    [Fact]
    public void Build_EdgeToCompatibilityIdeograph_PointsToItsNfkcForm()
    {
        // 㑄 → 侮 (U+FA30, compatibility) must land on U+4FAE, the form NFKC produces.
        var map = VariantKanjiTable.Build([(0x3444, 0xFA30)]);
        Assert.Equal(0x4FAE, map[0x3444]);
        Assert.Equal(0x4FAE, map[0xFA30]);
    }

    [Fact]
    public void ReadMjShrinkMap_PrefersFamilyRegisterOverMojNoticeAndSkipsLooseBases()
    {
        const string tsv = "source\tsource_cp\ttarget\ttarget_cp\tbasis\tbest_rank\tbest_hop\n" +
            "x\tU+4E00\tx\tU+4E01\tmoj-notice-582-appendix-4\t1\t\n" +
            "x\tU+4E00\tx\tU+4E02\tfamily-register-notice\t\t2\n" +
            "x\tU+4E00\tx\tU+4E03\tfamily-register-notice\t\t1\n" +
            "y\tU+4E10\ty\tU+4E10\tjis-inclusion-rule\t\t\n" +
            "y\tU+4E10\ty\tU+4E11\tdictionary\t\t\n" +
            "z\tU+4E20\tz\tU+4E22\tmoj-notice-582-appendix-4\t2\t\n" +
            "z\tU+4E20\tz\tU+4E21\tmoj-notice-582-appendix-4\t1\t\n";
        var edges = VariantKanjiTable.ReadMjShrinkMap(new StringReader(tsv)).ToList();
        Assert.Equal([(0x4E00, 0x4E03), (0x4E20, 0x4E21)], edges);
    }

    [Fact]
    public void ReadMozc_TakesOneDirectionPerTypeAndSkipsDistinctWordTypes()
    {
        const string rules = "# comment\n\n印刷標準字体\n蟬\t蝉\n\n略字\n蝉\t蟬\n\n別字\n藷\t薯\n\n正字\n坡\t陂\n";
        var edges = VariantKanjiTable.ReadMozc(new StringReader(rules)).ToList();
        Assert.Equal([((int)'蟬', (int)'蝉'), ((int)'蟬', (int)'蝉')], edges);
    }
}
