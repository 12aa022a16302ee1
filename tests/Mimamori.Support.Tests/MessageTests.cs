using Mimamori.Support.Outreach;
using Mimamori.Support.Programs;

namespace Mimamori.Support.Tests;

public sealed class MessageTests
{
    public static TheoryData<string, string> EveryWording()
    {
        var data = new TheoryData<string, string>();
        foreach (var program in ProgramCatalog.Default.Programs)
        {
            foreach (var variant in MessageComposer.VariantsOf(program))
            {
                data.Add(program.Id, variant);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryWording))]
    public void EveryWording_NeverMentionsAScoreARiskOrACategory(string programId, string variant)
    {
        var program = ProgramCatalog.Default.Programs.Single(p => p.Id == programId);
        var message = MessageComposer.Compose(program, variant, new DateOnly(2026, 1, 31));
        var text = string.Join("\n", message.Subject, message.Body, message.ApplyWith, message.Where, message.Contact);
        Assert.Empty(ForbiddenWords.Find(text));
        Assert.DoesNotContain("{deadline}", text, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(message.Body));
    }

    [Fact]
    public void EveryProgram_HasThePlainEasyDeadlineAndEnglishWordings()
    {
        foreach (var program in ProgramCatalog.Default.Programs)
        {
            Assert.Equal(["plain", "easy", "deadline", "en"], MessageComposer.VariantsOf(program));
        }
    }

    [Fact]
    public void DeadlineWording_CarriesTheDateInWareki()
    {
        var program = ProgramCatalog.Default.Programs.Single(p => p.Id == "shugaku_enjo");
        var message = MessageComposer.Compose(program, MessageComposer.Deadline, new DateOnly(2026, 1, 31));
        Assert.Contains("令和8年1月31日", message.Subject, StringComparison.Ordinal);
        Assert.Contains("令和8年1月31日", message.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("お子さまのスコアをお知らせします", "スコア")]
    [InlineData("要対協で検討しました", "要対協")]
    [InlineData("不登校の", "不登校")]
    [InlineData("Your family's risk level", "risk")]
    [InlineData("Child POVERTY support", "POVERTY")]
    [InlineData("we scored your household", "scored")]
    public void ForbiddenWords_AreFound(string text, string word) => Assert.Contains(word, ForbiddenWords.Find(text));

    [Theory]
    [InlineData("Christmas brisket")]
    [InlineData("就学援助のご案内")]
    public void ForbiddenWords_DoNotFireOnOrdinaryText(string text) => Assert.Empty(ForbiddenWords.Find(text));
}
