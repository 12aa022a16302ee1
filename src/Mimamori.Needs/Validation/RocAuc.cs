namespace Mimamori.Needs.Validation;

/// <summary>Area under the ROC curve by the rank-sum (Mann–Whitney) formula, with ties given half credit.</summary>
public static class RocAuc
{
    public static double Of(IReadOnlyList<(double Score, bool Positive)> items)
    {
        var sorted = items.OrderBy(i => i.Score).ToList();
        long positives = sorted.Count(i => i.Positive);
        long negatives = sorted.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        double rankSum = 0;
        var i = 0;
        while (i < sorted.Count)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1].Score == sorted[i].Score)
            {
                j++;
            }

            var averageRank = (i + j + 2) / 2.0;
            for (var k = i; k <= j; k++)
            {
                if (sorted[k].Positive)
                {
                    rankSum += averageRank;
                }
            }

            i = j + 1;
        }

        return (rankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }
}
