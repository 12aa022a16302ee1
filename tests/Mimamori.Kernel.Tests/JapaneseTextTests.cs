using Mimamori.Kernel.Text;

namespace Mimamori.Kernel.Tests;

public class JapaneseTextTests
{
    [Theory]
    [InlineData("ｶﾞ", "ガ")]
    [InlineData("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "パピプペポ")]
    [InlineData("ｳﾞ", "ヴ")]
    [InlineData("ｻﾄｳ ﾀﾛｳ", "サトウ タロウ")]
    [InlineData("ＡＢＣ１２３", "ABC123")]
    [InlineData("  山田  ", "山田")]
    [InlineData("カ゛", "ガ")]
    [InlineData("ハ゜", "パ")]
    [InlineData("〜", "~")]
    [InlineData(null, "")]
    public void FoldWidth_FoldsHalfWidthKanaAndFullWidthAscii(string? text, string expected)
    {
        Assert.Equal(expected, JapaneseText.FoldWidth(text));
    }

    [Fact]
    public void FoldWidth_WaveDashAndFullWidthTilde_Agree()
    {
        Assert.Equal(JapaneseText.FoldWidth("\uFF5E"), JapaneseText.FoldWidth("\u301C"));
    }

    [Theory]
    [InlineData("山田　太郎", "山田太郎")]
    [InlineData("ジョン・スミス", "ジョンスミス")]
    [InlineData("ｼﾞｮﾝ･ｽﾐｽ", "ｼﾞｮﾝｽﾐｽ")]
    [InlineData(" a\tb\nc ", "abc")]
    public void RemoveSpaces_RemovesSpacesAndMiddleDots(string text, string expected)
    {
        Assert.Equal(expected, JapaneseText.RemoveSpaces(text));
    }

    [Theory]
    [InlineData("さとう", "サトウ")]
    [InlineData("ゔぁ", "ヴァ")]
    [InlineData("ぁゖ", "ァヶ")]
    [InlineData("漢字とかな", "漢字トカナ")]
    public void ToKatakana_ShiftsHiragana(string text, string expected)
    {
        Assert.Equal(expected, JapaneseText.ToKatakana(text));
    }

    [Theory]
    [InlineData("サトウ", "さとう")]
    [InlineData("ヴァ", "ゔぁ")]
    [InlineData("ー", "ー")]
    public void ToHiragana_ShiftsKatakana(string text, string expected)
    {
        Assert.Equal(expected, JapaneseText.ToHiragana(text));
    }

    [Theory]
    [InlineData("ｻﾄｳ ﾀﾛｳ")]
    [InlineData("さとう　たろう")]
    [InlineData("サトウ　タロウ")]
    [InlineData("サトウ・タロウ")]
    [InlineData("ｻﾄｳﾀﾛｳ")]
    public void ReadingKey_EveryWayOfWritingSatoTaro_IsSatoTaro(string kana)
    {
        Assert.Equal("サトウタロウ", JapaneseText.ReadingKey(kana));
    }

    [Fact]
    public void ReadingKey_VoicedKana_DifferFromUnvoiced()
    {
        Assert.NotEqual(JapaneseText.ReadingKey("サトウ"), JapaneseText.ReadingKey("サドウ"));
        Assert.Equal("ガ", JapaneseText.ReadingKey("ｶﾞ"));
        Assert.Equal("ガ", JapaneseText.ReadingKey("カ゛"));
    }

    [Fact]
    public void ReadingKey_SmallKana_StayDistinct()
    {
        Assert.NotEqual(JapaneseText.ReadingKey("ｼﾞｮｳ"), JapaneseText.ReadingKey("ジヨウ"));
    }

    [Theory]
    [InlineData("オオタ", "オータ")]
    [InlineData("オオタ", "オウタ")]
    [InlineData("オータ", "ｵｳﾀ")]
    [InlineData("ｼﾞｮｳ", "ジヨウ")]
    [InlineData("ｼﾞｮｳ", "しょう")]
    [InlineData("サイトウ", "サイトー")]
    [InlineData("ケイコ", "ケーコ")]
    [InlineData("ユウキ", "ユーキ")]
    [InlineData("ガッコウ", "カツコ")]
    [InlineData("ヴィ", "ウイ")]
    public void LooseReadingKey_SpellingVariants_AreEqual(string a, string b)
    {
        Assert.Equal(JapaneseText.LooseReadingKey(a), JapaneseText.LooseReadingKey(b));
    }

    [Fact]
    public void LooseReadingKey_SurrogatePair_DoesNotThrow()
    {
        Assert.Equal("\U00020BB7タロ", JapaneseText.LooseReadingKey("\U00020BB7ﾀﾛｳ"));
    }

    [Fact]
    public void LooseReadingKey_Ota_IsOta()
    {
        Assert.Equal("オタ", JapaneseText.LooseReadingKey("オオタ"));
    }

    [Theory]
    [InlineData("オタ", "イタ")]
    [InlineData("サトウ", "サイトウ")]
    [InlineData("ユキ", "ユカ")]
    public void LooseReadingKey_DifferentNames_StayDifferent(string a, string b)
    {
        Assert.NotEqual(JapaneseText.LooseReadingKey(a), JapaneseText.LooseReadingKey(b));
    }

    [Theory]
    [InlineData("サトウ タロウ", "ｻﾄｳ ﾀﾛｳ")]
    [InlineData("ガギグゲゴ", "ｶﾞｷﾞｸﾞｹﾞｺﾞ")]
    [InlineData("パピプペポ", "ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ")]
    [InlineData("ヴァイオリン", "ｳﾞｧｲｵﾘﾝ")]
    [InlineData("ジョン・スミス", "ｼﾞｮﾝ･ｽﾐｽ")]
    [InlineData("コーヒー", "ｺｰﾋｰ")]
    [InlineData("さとう", "ｻﾄｳ")]
    [InlineData("ヮ", "ヮ")]
    public void ToHalfWidthKatakana_WritesLegacyForm(string text, string expected)
    {
        Assert.Equal(expected, JapaneseText.ToHalfWidthKatakana(text));
    }

    [Fact]
    public void ToHalfWidthKatakana_RoundTripsEveryKatakanaWithAHalfWidthForm()
    {
        for (var c = '\u30A1'; c <= '\u30FC'; c++)
        {
            var half = JapaneseText.ToHalfWidthKatakana(c.ToString());
            if (half != c.ToString())
            {
                Assert.Equal(c.ToString(), JapaneseText.FoldWidth(half));
            }
        }
    }

    [Theory]
    [InlineData("サトウ タロウ", true)]
    [InlineData("ｻﾄｳ", true)]
    [InlineData("ジョン・スミス", true)]
    [InlineData("コーヒー", true)]
    [InlineData("さとう", false)]
    [InlineData("佐藤", false)]
    [InlineData("SATO", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsKatakana_AcceptsOnlyKatakanaReadings(string? text, bool expected)
    {
        Assert.Equal(expected, JapaneseText.IsKatakana(text));
    }

    [Theory]
    [InlineData("髙橋　太郎", "高橋太郎")]
    [InlineData("渡邉ﾀﾛｳ", "渡辺タロウ")]
    [InlineData("ＹＡＭＡＤＡ　Ｔａｒｏ", "YAMADATaro")]
    [InlineData("葛\U000E0100城", "葛城")]
    [InlineData("\U00020BB7野", "吉野")]
    [InlineData(null, "")]
    public void NameKey_FoldsWidthSpacesAndVariants(string? name, string expected)
    {
        Assert.Equal(expected, JapaneseText.NameKey(name));
    }

    [Fact]
    public void NameKey_DoesNotFoldReading()
    {
        // The name key is about the written form; hiragana and katakana names stay apart at this level.
        Assert.NotEqual(JapaneseText.NameKey("さくら"), JapaneseText.NameKey("サクラ"));
    }

    [Fact]
    public void PlainCharacters_AreTheirOwnNfkcForm_SoSkippingTheNormaliserChangesNothing()
    {
        var plain = new List<char>();
        for (var c = '\u0020'; c < '\uD800'; c++)
        {
            if (JapaneseText.IsPlain(c))
            {
                Assert.True(c.ToString().IsNormalized(System.Text.NormalizationForm.FormKC), $"U+{(int)c:X4}");
                plain.Add(c);
            }
        }

        // Voiced kana, kana next to marks and kanji, in random strings: the fast path gives what NFKC gives.
        var random = new Random(7);
        for (var n = 0; n < 20_000; n++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(1, 9)).Select(_ => plain[random.Next(plain.Count)])]);
            Assert.Equal(text.Normalize(System.Text.NormalizationForm.FormKC).Trim(), JapaneseText.FoldWidth(text));
        }

        Assert.False(JapaneseText.IsPlain("ｻﾄｳ"));
        Assert.False(JapaneseText.IsPlain("カ\u3099"));
        Assert.False(JapaneseText.IsPlain("山田\u3000太郎"));
        Assert.False(JapaneseText.IsPlain("\uFA11"));
    }

    [Theory]
    [InlineData("ガギグゲゴザジズゼゾダヂヅデドバビブベボ", "カキクケコサシスセソタチツテトハヒフヘホ")]
    [InlineData("パピプペポ", "ハヒフヘホ")]
    [InlineData("ヴぱぴぷぺぽ", "ウハヒフヘホ")]
    [InlineData("ヷヸヹヺ", "ワヰヱヲ")]
    public void LooseReadingKey_DropsEveryVoicingMark(string kana, string expected)
    {
        Assert.Equal(expected, JapaneseText.LooseReadingKey(kana));
    }
}
