namespace Mimamori.Linkage.Pprl;

/// <summary>A partner record's best match among the municipality's encodings.</summary>
/// <param name="Linked">True when the best similarity reaches the threshold and clearly beats the second best.</param>
public sealed record PprlMatch(string PartnerId, string? OwnId, double Dice, double SecondDice, bool Linked);

/// <summary>
/// Links a partner's encodings to the municipality's own, both made under the same project secret: candidates share
/// at least one keyed hash; the one with the highest Dice similarity of filters is the match when it reaches the
/// threshold and beats the second best by the margin (a near tie is a twin or a namesake, left unlinked).
/// </summary>
public static class PprlLinker
{
    /// <summary>Dice similarity a link needs by default, set on the synthetic municipality (see docs/pprl.md).</summary>
    public const double DefaultThreshold = 0.85;

    /// <summary>How far the best must lead the second best.</summary>
    public const double Margin = 0.02;

    /// <summary>Blocks larger than this say too little (a common birth date in a big city) and are not scored alone.</summary>
    private const int MaxBlock = 2000;

    public static IReadOnlyList<PprlMatch> Link(IReadOnlyList<PprlEncoding> partner, IReadOnlyList<PprlEncoding> own, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(partner);
        ArgumentNullException.ThrowIfNull(own);
        var blocks = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < own.Count; i++)
        {
            foreach (var key in own[i].BlockKeys)
            {
                if (!blocks.TryGetValue(key, out var list))
                {
                    list = [];
                    blocks[key] = list;
                }

                list.Add(i);
            }
        }

        var matches = new List<PprlMatch>(partner.Count);
        var candidates = new HashSet<int>();
        foreach (var p in partner)
        {
            candidates.Clear();
            foreach (var key in p.BlockKeys)
            {
                if (blocks.TryGetValue(key, out var list) && list.Count <= MaxBlock)
                {
                    candidates.UnionWith(list);
                }
            }

            var top = candidates.Select(c => (Own: own[c].Id, Dice: p.Dice(own[c]))).OrderByDescending(x => x.Dice).ThenBy(x => x.Own, StringComparer.Ordinal).Take(2).ToList();
            var (bestId, bestDice) = top.Count > 0 ? top[0] : (null, 0);
            var second = top.Count > 1 ? top[1].Dice : 0;
            matches.Add(new PprlMatch(p.Id, bestId, bestDice, second, bestId is not null && bestDice >= threshold && bestDice - second >= Margin));
        }

        return matches;
    }
}
