using Mimamori.Linkage.Comparisons;
using Mimamori.Linkage.Records;

namespace Mimamori.Linkage.Scoring;

/// <summary>Scores a pair under a model: the sum of each comparison level's weight.</summary>
public sealed class PairScorer(LinkageModel model)
{
    private readonly Comparison name = model.Comparison("name");
    private readonly Comparison birth = model.Comparison("birth_date");
    private readonly Comparison sex = model.Comparison("sex");
    private readonly Comparison address = model.Comparison("address");
    private readonly Comparison atena = model.Comparison("atena_no");

    public LinkageModel Model => model;

    public double Score(LinkRecord a, LinkKeys ka, LinkRecord b, LinkKeys kb) =>
        name.Level(PairComparer.Name(ka, kb)).Weight
        + birth.Level(PairComparer.BirthDate(a.BirthDate, b.BirthDate)).Weight
        + sex.Level(PairComparer.Sex(a.Sex, b.Sex)).Weight
        + address.Level(PairComparer.Address(ka, kb)).Weight
        + atena.Level(PairComparer.Identifier(a.AtenaNo, b.AtenaNo)).Weight;

    public MatchExplanation Explain(LinkRecord a, LinkKeys ka, LinkRecord b, LinkKeys kb)
    {
        var parts = new List<Contribution>
        {
            Part(name, PairComparer.Name(ka, kb)),
            Part(birth, PairComparer.BirthDate(a.BirthDate, b.BirthDate)),
            Part(sex, PairComparer.Sex(a.Sex, b.Sex)),
            Part(address, PairComparer.Address(ka, kb)),
            Part(atena, PairComparer.Identifier(a.AtenaNo, b.AtenaNo)),
        };
        return new MatchExplanation(parts.Sum(p => p.Weight), parts);
    }

    private static Contribution Part(Comparison c, string level) => new(c.Id, level, c.Level(level).Weight);
}
