using Mimamori.Kernel.People;

namespace Mimamori.Kernel.Tests;

public class PersonNameTests
{
    [Fact]
    public void FromFull_SplitsOnFullWidthSpace()
    {
        var n = PersonName.FromFull("山田　太郎", "ヤマダ　タロウ");
        Assert.Equal("山田", n.Family);
        Assert.Equal("太郎", n.Given);
        Assert.Equal("ヤマダ", n.FamilyKana);
        Assert.Equal("タロウ", n.GivenKana);
        Assert.Equal("山田 太郎", n.Display);
        Assert.Equal("ヤマダ タロウ", n.DisplayKana);
    }

    [Fact]
    public void FromFull_WithoutSpace_IsAllFamilyName()
    {
        var n = PersonName.FromFull("山田太郎", null);
        Assert.Equal("山田太郎", n.Family);
        Assert.Equal(string.Empty, n.Given);
        Assert.Equal("山田太郎", n.Display);
    }

    [Theory]
    [InlineData("髙橋", "太郎", "高橋", "太郎")]
    [InlineData("渡邉", "花子", "渡辺", "花子")]
    [InlineData("山﨑", "一郎", "山崎", "一郎")]
    [InlineData("𠮷田", "翔", "吉田", "翔")]
    [InlineData("齋藤", "ゆい", "齋藤", "ゆい")]
    public void NameKey_VariantSpellings_AreEqual(string family1, string given1, string family2, string given2)
    {
        var a = new PersonName(family1, given1, "", "");
        var b = new PersonName(family2, given2, "", "");
        Assert.Equal(a.NameKey, b.NameKey);
    }

    [Fact]
    public void NameKey_SpaceInsideFamilyName_DoesNotMatter()
    {
        Assert.Equal(PersonName.FromFull("髙橋 太郎", null).NameKey, PersonName.FromFull("高橋太郎", null).NameKey);
    }

    [Fact]
    public void NameKey_SaitoSpellings_StayApart()
    {
        Assert.NotEqual(new PersonName("斎藤", "太郎", "", "").NameKey, new PersonName("斉藤", "太郎", "", "").NameKey);
    }

    [Fact]
    public void ReadingKey_HalfWidthAndHiragana_Agree()
    {
        var a = PersonName.FromFull("佐藤 太郎", "ｻﾄｳ ﾀﾛｳ");
        var b = PersonName.FromFull("佐藤 太郎", "さとう　たろう");
        Assert.Equal("サトウタロウ", a.ReadingKey);
        Assert.Equal(a.ReadingKey, b.ReadingKey);
    }

    [Fact]
    public void LooseReadingKey_LongVowelSpellings_Agree()
    {
        var a = PersonName.FromFull("大田 翔", "オオタ ショウ");
        var b = PersonName.FromFull("太田 翔", "オータ ショー");
        var c = PersonName.FromFull("大田 翔", "ｵｳﾀ ｼｮｳ");
        Assert.Equal(a.LooseReadingKey, b.LooseReadingKey);
        Assert.Equal(a.LooseReadingKey, c.LooseReadingKey);
        Assert.NotEqual(a.ReadingKey, b.ReadingKey);
    }

    [Fact]
    public void SwappedReadingKey_MatchesNameRecordedInWrongOrder()
    {
        var right = PersonName.FromFull("山田 太郎", "ヤマダ タロウ");
        var wrong = PersonName.FromFull("太郎 山田", "タロウ ヤマダ");
        Assert.NotEqual(right.ReadingKey, wrong.ReadingKey);
        Assert.Equal(right.ReadingKey, wrong.SwappedReadingKey);
        Assert.Equal(right.SwappedReadingKey, wrong.ReadingKey);
        Assert.Equal(right.NameKey, wrong.SwappedNameKey);
        Assert.True(wrong.IsSwappedOf(right));
        Assert.True(right.IsSwappedOf(wrong));
    }

    [Fact]
    public void IsSwappedOf_SameOrder_IsFalse()
    {
        var a = PersonName.FromFull("山田 太郎", "ヤマダ タロウ");
        var b = PersonName.FromFull("山田 太郎", "やまだ たろう");
        Assert.False(a.IsSwappedOf(b));
    }

    [Fact]
    public void IsSwappedOf_DifferentPeople_IsFalse()
    {
        var a = PersonName.FromFull("山田 太郎", "ヤマダ タロウ");
        var b = PersonName.FromFull("次郎 山田", "ジロウ ヤマダ");
        Assert.False(a.IsSwappedOf(b));
    }

    [Fact]
    public void SwappedReadingKey_WithoutGivenName_EqualsReadingKey()
    {
        var n = PersonName.FromFull("ヤマダタロウ", "ヤマダタロウ");
        Assert.Equal(n.ReadingKey, n.SwappedReadingKey);
        Assert.False(n.IsSwappedOf(n));
    }

    [Fact]
    public void Empty_HasEmptyKeys()
    {
        Assert.Equal(string.Empty, PersonName.Empty.NameKey);
        Assert.Equal(string.Empty, PersonName.Empty.ReadingKey);
        Assert.Equal(string.Empty, PersonName.Empty.LooseReadingKey);
        Assert.Equal(string.Empty, PersonName.Empty.SwappedReadingKey);
    }
}
