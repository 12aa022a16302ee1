using Mimamori.Linkage.Comparisons;
using Mimamori.Linkage.Records;

namespace Mimamori.Linkage.Scoring;

/// <summary>Scores a pair under a model: the sum of each comparison level's weight (weights worked out once, not per pair).</summary>
public sealed class PairScorer(LinkageModel model)
{
    private readonly Levels name = new(model.Comparison("name"));
    // A birth date outside the other record's window weighs what a different birth date weighs, under its own name in the explanation.
    private readonly Levels birth = new(model.Comparison("birth_date"), (PairComparer.OutsideWindow, PairComparer.OutsideWindowWeighsAs));
    private readonly Levels sex = new(model.Comparison("sex"));
    private readonly Levels address = new(model.Comparison("address"));
    private readonly Levels atena = new(model.Comparison("atena_no"));
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> explanations = new();

    public LinkageModel Model => model;

    public double Score(LinkRecord a, LinkKeys ka, LinkRecord b, LinkKeys kb) =>
        name.Weight(PairComparer.Name(ka, kb))
        + birth.Weight(PairComparer.BirthDate(a, b))
        + sex.Weight(PairComparer.Sex(a.Sex, b.Sex))
        + address.Weight(PairComparer.Address(ka, kb, model.Municipality))
        + atena.Weight(PairComparer.Identifier(a.AtenaNo, b.AtenaNo));

    /// <summary>
    /// The stored form of <see cref="Explain"/>. It depends only on the pair's level in each comparison, so each of the
    /// few hundred combinations is written once and shared: a city links millions of identities, and one string each
    /// took gigabytes.
    /// </summary>
    public string ExplainJson(LinkRecord a, LinkKeys ka, LinkRecord b, LinkKeys kb)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var levels = (name.Index(PairComparer.Name(ka, kb)) << 16)
            | (birth.Index(PairComparer.BirthDate(a, b)) << 12)
            | (sex.Index(PairComparer.Sex(a.Sex, b.Sex)) << 8)
            | (address.Index(PairComparer.Address(ka, kb, model.Municipality)) << 4)
            | atena.Index(PairComparer.Identifier(a.AtenaNo, b.AtenaNo));
        return explanations.GetOrAdd(levels, static (_, p) => p.Scorer.Explain(p.a, p.ka, p.b, p.kb).ToJson(), (Scorer: this, a, ka, b, kb));
    }

    public MatchExplanation Explain(LinkRecord a, LinkKeys ka, LinkRecord b, LinkKeys kb)
    {
        var parts = new List<Contribution>
        {
            name.Part(PairComparer.Name(ka, kb)),
            birth.Part(PairComparer.BirthDate(a, b)),
            sex.Part(PairComparer.Sex(a.Sex, b.Sex)),
            address.Part(PairComparer.Address(ka, kb, model.Municipality)),
            atena.Part(PairComparer.Identifier(a.AtenaNo, b.AtenaNo)),
        };
        return new MatchExplanation(parts.Sum(p => p.Weight), parts);
    }

    /// <summary>One comparison's level ids and weights; the comparer returns the same interned ids, so lookup is a few reference checks.</summary>
    /// <param name="aliases">Levels the comparer names that the model does not have, each weighed as one it has.</param>
    private sealed class Levels(Comparison comparison, params (string Alias, string As)[] aliases)
    {
        private readonly string[] ids = [.. comparison.Levels.Select(l => l.Id), .. aliases.Select(a => a.Alias)];
        private readonly double[] weights = [.. comparison.Levels.Select(l => l.Weight), .. aliases.Select(a => comparison.Level(a.As).Weight)];

        /// <summary>The level's position (at most 16 levels per comparison).</summary>
        public int Index(string level)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                if (string.Equals(ids[i], level, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            throw new ArgumentException($"comparison {comparison.Id} has no level {level}", nameof(level));
        }

        public double Weight(string level) => weights[Index(level)];

        public Contribution Part(string level) => new(comparison.Id, level, Weight(level));
    }
}
