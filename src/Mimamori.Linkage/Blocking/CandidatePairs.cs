using Mimamori.Linkage.Records;
using Mimamori.Linkage.Specs;

namespace Mimamori.Linkage.Blocking;

/// <summary>
/// Candidate pairs from blocking rules. A pair is produced once, by the first rule that finds it (a later rule skips
/// pairs an earlier rule already shares a key on), so per-rule counts add up to the total. Blocks larger than
/// <c>maxBlock</c> are skipped: a key that common says nothing on its own.
/// </summary>
public sealed class CandidatePairs
{
    private CandidatePairs(int[] left, int[] right, byte[] rule, IReadOnlyList<RuleCount> perRule)
    {
        Left = left;
        Right = right;
        Rule = rule;
        PerRule = perRule;
    }

    /// <summary>The pair's records (indices into the prepared records), Left &lt; Right.</summary>
    public int[] Left { get; }

    public int[] Right { get; }

    /// <summary>The index of the rule that produced each pair.</summary>
    public byte[] Rule { get; }

    public IReadOnlyList<RuleCount> PerRule { get; }

    public int Count => Left.Length;

    /// <summary>Blocks every record under each rule and collects the pairs (in link mode, only pairs across files).</summary>
    public static CandidatePairs Find(IReadOnlyList<PreparedRecord> records, IReadOnlyList<BlockingRule> rules, LinkMode mode, int maxBlock = 1000)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(rules);
        var keys = new string[rules.Count][][];
        for (var k = 0; k < rules.Count; k++)
        {
            var rule = rules[k];
            keys[k] = new string[records.Count][];
            for (var i = 0; i < records.Count; i++)
            {
                keys[k][i] = [.. rule.Keys(records[i]).Distinct(StringComparer.Ordinal)];
            }
        }

        var left = new List<int>();
        var right = new List<int>();
        var ruleOf = new List<byte>();
        var counts = new List<RuleCount>();
        var oversized = new HashSet<string>[rules.Count];
        for (var k = 0; k < rules.Count; k++)
        {
            var blocks = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < records.Count; i++)
            {
                foreach (var key in keys[k][i])
                {
                    if (!blocks.TryGetValue(key, out var list))
                    {
                        list = [];
                        blocks[key] = list;
                    }

                    list.Add(i);
                }
            }

            long produced = 0;
            oversized[k] = [.. blocks.Where(b => b.Value.Count > maxBlock).Select(b => b.Key)];
            foreach (var (key, members) in blocks.OrderBy(b => b.Key, StringComparer.Ordinal))
            {
                if (members.Count > maxBlock)
                {
                    continue;
                }

                for (var x = 0; x < members.Count; x++)
                {
                    for (var y = x + 1; y < members.Count; y++)
                    {
                        var a = members[x];
                        var b = members[y];
                        if (mode == LinkMode.Link && records[a].File == records[b].File)
                        {
                            continue;
                        }

                        if (SeenBefore(keys, oversized, k, a, b, key))
                        {
                            continue;
                        }

                        left.Add(a);
                        right.Add(b);
                        ruleOf.Add((byte)k);
                        produced++;
                    }
                }
            }

            counts.Add(new RuleCount(rules[k].Id, produced, oversized[k].Count));
        }

        return new CandidatePairs([.. left], [.. right], [.. ruleOf], counts);
    }

    /// <summary>
    /// Every pair one rule blocks together (whatever other rules find), in link mode only across files, at most
    /// <paramref name="maxPairs"/> of them spread evenly over the blocks: the training set of that rule.
    /// </summary>
    public static IEnumerable<(int A, int B)> OfRule(IReadOnlyList<PreparedRecord> records, BlockingRule rule, LinkMode mode, int maxBlock, long maxPairs)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(rule);
        var blocks = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            foreach (var key in rule.Keys(records[i]).Distinct(StringComparer.Ordinal))
            {
                if (!blocks.TryGetValue(key, out var list))
                {
                    list = [];
                    blocks[key] = list;
                }

                list.Add(i);
            }
        }

        var total = blocks.Values.Where(b => b.Count <= maxBlock).Sum(b => (long)b.Count * (b.Count - 1) / 2);
        var step = Math.Max(1, total / Math.Max(1, maxPairs));
        long n = 0;
        foreach (var members in blocks.Values)
        {
            if (members.Count > maxBlock)
            {
                continue;
            }

            for (var x = 0; x < members.Count; x++)
            {
                for (var y = x + 1; y < members.Count; y++)
                {
                    if (n++ % step != 0 || (mode == LinkMode.Link && records[members[x]].File == records[members[y]].File))
                    {
                        continue;
                    }

                    yield return (Math.Min(members[x], members[y]), Math.Max(members[x], members[y]));
                }
            }
        }
    }

    /// <summary>True when an earlier rule, or an earlier key of this rule, already pairs the two records.</summary>
    private static bool SeenBefore(string[][][] keys, HashSet<string>[] oversized, int rule, int a, int b, string key)
    {
        for (var k = 0; k < rule; k++)
        {
            if (Shares(keys[k][a], keys[k][b], null, oversized[k]))
            {
                return true;
            }
        }

        var ka = keys[rule][a];
        return ka.Length > 1 && Shares(ka, keys[rule][b], key, oversized[rule]);
    }

    /// <summary>Whether two key lists share a scored key (one ordinally before <paramref name="before"/> when given).</summary>
    private static bool Shares(string[] x, string[] y, string? before, HashSet<string> oversized)
    {
        foreach (var p in x)
        {
            if ((before is not null && string.CompareOrdinal(p, before) >= 0) || oversized.Contains(p))
            {
                continue;
            }

            foreach (var q in y)
            {
                if (string.Equals(p, q, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>Pairs one blocking rule added (not found by an earlier rule) and the blocks it skipped as too large.</summary>
public sealed record RuleCount(string Rule, long Pairs, int SkippedBlocks);
