using Mimamori.Linkage.Records;
using Mimamori.Linkage.Specs;

namespace Mimamori.Linkage.Blocking;

/// <summary>
/// Candidate pairs from blocking rules. A pair is produced once, by the first rule that finds it (a later rule skips
/// pairs an earlier rule already shares a key on), so per-rule counts add up to the total; each pair also carries the
/// set of every rule that blocks it, which training and the blocking report use. Blocks larger than <c>maxBlock</c>
/// are skipped: a key that common says nothing on its own. Keys are interned to integers once per rule, so a million
/// records block in seconds, and the pairs are kept as flat integer arrays.
/// </summary>
public sealed class CandidatePairs
{
    private CandidatePairs(int[] left, int[] right, byte[] rule, uint[] rules, IReadOnlyList<RuleCount> perRule, RuleKeys[] keys)
    {
        Left = left;
        Right = right;
        Rule = rule;
        Rules = rules;
        PerRule = perRule;
        Keys = keys;
    }

    /// <summary>The pair's records (indices into the prepared records), Left &lt; Right.</summary>
    public int[] Left { get; }

    public int[] Right { get; }

    /// <summary>The index of the rule that produced each pair.</summary>
    public byte[] Rule { get; }

    /// <summary>Every rule that blocks each pair, as a bit set over rule indices.</summary>
    public uint[] Rules { get; }

    public IReadOnlyList<RuleCount> PerRule { get; }

    /// <summary>The interned keys of each rule, to ask whether a rule blocks any two records together.</summary>
    public IReadOnlyList<RuleKeys> Keys { get; }

    public int Count => Left.Length;

    /// <summary>Blocks every record under each rule and collects the pairs (in link mode, only pairs across files).</summary>
    public static CandidatePairs Find(IReadOnlyList<PreparedRecord> records, IReadOnlyList<BlockingRule> rules, LinkMode mode, int maxBlock = 1000)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Count > 32)
        {
            throw new ArgumentException("at most 32 blocking rules", nameof(rules));
        }

        var keys = new RuleKeys[rules.Count];
        for (var k = 0; k < rules.Count; k++)
        {
            keys[k] = RuleKeys.Of(records, rules[k], maxBlock);
        }

        var chunks = new List<Chunk>();
        var counts = new List<RuleCount>();
        for (var k = 0; k < rules.Count; k++)
        {
            var rk = keys[k];

            // Blocks are split into slices of about equal work, paired in parallel and joined in block order, so the
            // output is the same whatever the scheduling.
            var slices = Slices(rk, maxBlock);
            var produced = new Chunk[slices.Count];
            var rule = k;
            Parallel.For(0, slices.Count, s =>
            {
                var chunk = new Chunk();
                for (var key = slices[s].From; key < slices[s].To; key++)
                {
                    var members = rk.Members(key);
                    if (members.Length > maxBlock)
                    {
                        continue;
                    }

                    for (var x = 0; x < members.Length; x++)
                    {
                        var a = members[x];
                        for (var y = x + 1; y < members.Length; y++)
                        {
                            var b = members[y];
                            if (mode == LinkMode.Link && records[a].File == records[b].File)
                            {
                                continue;
                            }

                            if (SeenBefore(keys, rule, a, b, key))
                            {
                                continue;
                            }

                            chunk.Add(a, b, (byte)rule, SharedRules(keys, a, b));
                        }
                    }
                }

                produced[s] = chunk;
            });
            chunks.AddRange(produced);
            counts.Add(new RuleCount(rules[k].Id, produced.Sum(c => (long)c.Count), rk.Oversized));
        }

        var total = chunks.Sum(c => c.Count);
        var left = new int[total];
        var right = new int[total];
        var ruleOf = new byte[total];
        var mask = new uint[total];
        var at = 0;
        foreach (var chunk in chunks)
        {
            chunk.CopyTo(left, right, ruleOf, mask, at);
            at += chunk.Count;
        }

        // Pairs per rule counting overlaps: how many candidates each rule would give alone.
        var shared = new long[rules.Count];
        foreach (var m in mask)
        {
            for (var k = 0; k < rules.Count; k++)
            {
                if ((m & (1u << k)) != 0)
                {
                    shared[k]++;
                }
            }
        }

        return new CandidatePairs(left, right, ruleOf, mask, [.. counts.Select((c, k) => c with { SharedPairs = shared[k] })], keys);
    }

    /// <summary>
    /// The pairs that a rule blocks (whatever other rules find), at most <paramref name="maxPairs"/> of them spread
    /// evenly over the candidates: the training set of that rule.
    /// </summary>
    public IEnumerable<int> OfRule(int rule, long maxPairs)
    {
        var bit = 1u << rule;
        long total = 0;
        foreach (var m in Rules)
        {
            if ((m & bit) != 0)
            {
                total++;
            }
        }

        var step = Math.Max(1, total / Math.Max(1, maxPairs));
        long n = 0;
        for (var p = 0; p < Rules.Length; p++)
        {
            if ((Rules[p] & bit) != 0 && n++ % step == 0)
            {
                yield return p;
            }
        }
    }

    /// <summary>Whether a rule puts the two records in one scored block.</summary>
    public bool Blocks(int rule, int a, int b) => Keys[rule].Shares(a, b, int.MaxValue);

    /// <summary>True when an earlier rule, or an earlier key of this rule, already pairs the two records.</summary>
    private static bool SeenBefore(RuleKeys[] keys, int rule, int a, int b, int key)
    {
        for (var k = 0; k < rule; k++)
        {
            if (keys[k].Shares(a, b, int.MaxValue))
            {
                return true;
            }
        }

        return keys[rule].Shares(a, b, key);
    }

    private static uint SharedRules(RuleKeys[] keys, int a, int b)
    {
        uint mask = 0;
        for (var k = 0; k < keys.Length; k++)
        {
            if (keys[k].Shares(a, b, int.MaxValue))
            {
                mask |= 1u << k;
            }
        }

        return mask;
    }

    /// <summary>Ranges of keys with roughly equal numbers of pairs, a few per core.</summary>
    private static List<(int From, int To)> Slices(RuleKeys keys, int maxBlock)
    {
        long total = 0;
        for (var key = 0; key < keys.KeyCount; key++)
        {
            total += Work(keys.Size(key), maxBlock);
        }

        var target = Math.Max(10_000, total / (Environment.ProcessorCount * 8));
        var slices = new List<(int, int)>();
        var from = 0;
        long work = 0;
        for (var key = 0; key < keys.KeyCount; key++)
        {
            work += Work(keys.Size(key), maxBlock);
            if (work >= target)
            {
                slices.Add((from, key + 1));
                from = key + 1;
                work = 0;
            }
        }

        if (from < keys.KeyCount)
        {
            slices.Add((from, keys.KeyCount));
        }

        return slices;
    }

    private static long Work(int size, int maxBlock) => size > maxBlock ? 0 : (long)size * (size - 1) / 2;

    /// <summary>Pairs of one slice of blocks, in the order found.</summary>
    private sealed class Chunk
    {
        private readonly List<int> left = [];
        private readonly List<int> right = [];
        private readonly List<byte> rule = [];
        private readonly List<uint> mask = [];

        public int Count => left.Count;

        public void Add(int a, int b, byte r, uint m)
        {
            left.Add(a);
            right.Add(b);
            rule.Add(r);
            mask.Add(m);
        }

        public void CopyTo(int[] l, int[] r, byte[] ru, uint[] m, int at)
        {
            left.CopyTo(l, at);
            right.CopyTo(r, at);
            rule.CopyTo(ru, at);
            mask.CopyTo(m, at);
        }
    }
}

/// <summary>
/// One rule's keys for every record, interned to integers (numbered in order of first appearance, so the same input
/// gives the same numbers), each record's keys sorted; and the records of each key (its block), in record order.
/// </summary>
public sealed class RuleKeys
{
    private readonly int[] recordStart;
    private readonly int[] recordKeys;
    private readonly int[] blockStart;
    private readonly int[] blockMembers;
    private readonly int maxBlock;

    private RuleKeys(int[] recordStart, int[] recordKeys, int[] blockStart, int[] blockMembers, int maxBlock)
    {
        this.recordStart = recordStart;
        this.recordKeys = recordKeys;
        this.blockStart = blockStart;
        this.blockMembers = blockMembers;
        this.maxBlock = maxBlock;
        for (var key = 0; key < KeyCount; key++)
        {
            Oversized += Size(key) > maxBlock ? 1 : 0;
        }
    }

    public int KeyCount => blockStart.Length - 1;

    /// <summary>Blocks larger than the limit, which are not scored.</summary>
    public int Oversized { get; }

    public static RuleKeys Of(IReadOnlyList<PreparedRecord> records, BlockingRule rule, int maxBlock)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(rule);
        var texts = new string[records.Count][];
        Parallel.For(0, records.Count, i =>
        {
            string[] keys = [.. rule.Keys(records[i])];
            texts[i] = keys.Length < 2 ? keys : [.. keys.Distinct(StringComparer.Ordinal)];
        });
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var recordStart = new int[records.Count + 1];
        var all = new List<int>(records.Count);
        var sizes = new List<int>();
        for (var i = 0; i < records.Count; i++)
        {
            recordStart[i] = all.Count;
            var from = all.Count;
            foreach (var text in texts[i])
            {
                if (!ids.TryGetValue(text, out var id))
                {
                    id = ids.Count;
                    ids[text] = id;
                    sizes.Add(0);
                }

                sizes[id]++;
                all.Add(id);
            }

            all.Sort(from, all.Count - from, Comparer<int>.Default);
            texts[i] = null!;
        }

        recordStart[records.Count] = all.Count;
        var blockStart = new int[sizes.Count + 1];
        for (var key = 0; key < sizes.Count; key++)
        {
            blockStart[key + 1] = blockStart[key] + sizes[key];
        }

        var fill = (int[])blockStart.Clone();
        var members = new int[all.Count];
        for (var i = 0; i < records.Count; i++)
        {
            for (var j = recordStart[i]; j < recordStart[i + 1]; j++)
            {
                members[fill[all[j]]++] = i;
            }
        }

        return new RuleKeys(recordStart, [.. all], blockStart, members, maxBlock);
    }

    /// <summary>The records that share this key, ascending.</summary>
    public ReadOnlySpan<int> Members(int key) => blockMembers.AsSpan(blockStart[key], blockStart[key + 1] - blockStart[key]);

    public int Size(int key) => blockStart[key + 1] - blockStart[key];

    /// <summary>The record's keys, ascending.</summary>
    public ReadOnlySpan<int> Of(int record) => recordKeys.AsSpan(recordStart[record], recordStart[record + 1] - recordStart[record]);

    /// <summary>Whether the records share a scored key numbered below <paramref name="before"/>.</summary>
    public bool Shares(int a, int b, int before)
    {
        var x = Of(a);
        var y = Of(b);
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            var p = x[i];
            var q = y[j];
            if (p >= before || q >= before)
            {
                return false;
            }

            if (p == q)
            {
                if (Size(p) <= maxBlock)
                {
                    return true;
                }

                i++;
                j++;
            }
            else if (p < q)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return false;
    }
}

/// <summary>Pairs one blocking rule added (not found by an earlier rule) and the blocks it skipped as too large.</summary>
/// <param name="SharedPairs">Candidate pairs the rule blocks, found first by it or not: what it would give alone.</param>
/// <param name="Recall">Pair recall of the rule alone: the share of true pairs it blocks together.</param>
/// <param name="RecallKind"><c>measured</c> against known truth; <c>estimated</c> from the EM match probabilities of the candidates, relative to the matches all rules find together; <c>none</c> before scoring.</param>
public sealed record RuleCount(string Rule, long Pairs, int SkippedBlocks, long SharedPairs = 0, double Recall = double.NaN, string RecallKind = "none");
