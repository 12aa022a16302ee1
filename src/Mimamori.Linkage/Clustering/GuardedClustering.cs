namespace Mimamori.Linkage.Clustering;

/// <summary>
/// Connected components over the linked pairs with a guard against chaining: pairs are taken strongest first, and two
/// clusters are joined only when no member of one conflicts with a member of the other (twins, or a pair whose own
/// weight says they are clearly different people). A → B → C then cannot pull in a C that contradicts A.
/// </summary>
public static class GuardedClustering
{
    /// <summary>Above this many cross pairs the guard checks a bounded sample of members, to keep large clusters cheap.</summary>
    private const int MaxMembersChecked = 64;

    /// <param name="count">The number of records.</param>
    /// <param name="links">Pairs above the link threshold with their weights.</param>
    /// <param name="conflicts">True when two records must never be in one cluster.</param>
    /// <returns>A cluster index per record, numbered from 0 in order of each cluster's first record; and the number of joins the guard refused.</returns>
    public static (int[] Cluster, int Refused) Cluster(int count, IEnumerable<(int A, int B, double Weight)> links, Func<int, int, bool> conflicts)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(conflicts);
        var parent = new int[count];
        var members = new List<int>?[count];
        for (var i = 0; i < count; i++)
        {
            parent[i] = i;
        }

        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        List<int> Members(int root) => members[root] ??= [root];

        var refused = 0;
        foreach (var (a, b, _) in links.OrderByDescending(l => l.Weight).ThenBy(l => l.A).ThenBy(l => l.B))
        {
            var ra = Find(a);
            var rb = Find(b);
            if (ra == rb)
            {
                continue;
            }

            var ma = Members(ra);
            var mb = Members(rb);
            var clash = false;
            foreach (var x in ma.Take(MaxMembersChecked))
            {
                foreach (var y in mb.Take(MaxMembersChecked))
                {
                    if (conflicts(x, y))
                    {
                        clash = true;
                        break;
                    }
                }

                if (clash)
                {
                    break;
                }
            }

            if (clash)
            {
                refused++;
                continue;
            }

            // The smaller cluster joins the larger one.
            var (big, small) = ma.Count >= mb.Count ? (ra, rb) : (rb, ra);
            parent[small] = big;
            Members(big).AddRange(Members(small));
            members[small] = null;
        }

        var cluster = new int[count];
        var number = new Dictionary<int, int>();
        for (var i = 0; i < count; i++)
        {
            var root = Find(i);
            if (!number.TryGetValue(root, out var n))
            {
                n = number.Count;
                number[root] = n;
            }

            cluster[i] = n;
        }

        return (cluster, refused);
    }
}
