namespace Mimamori.Linkage.Evaluation;

/// <summary>
/// Pairwise precision and recall of a clustering against the truth, from the contingency table of predicted × true
/// clusters, without enumerating pairs: TP = Σ C(n_ij, 2), predicted pairs = Σ C(n_i·, 2), true pairs = Σ C(n_·j, 2).
/// </summary>
public sealed record PairwiseAccuracy(long TruePositives, long PredictedPairs, long TruePairs)
{
    public double Precision => PredictedPairs == 0 ? 1 : (double)TruePositives / PredictedPairs;

    public double Recall => TruePairs == 0 ? 1 : (double)TruePositives / TruePairs;

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>Computes accuracy from (predicted cluster, true cluster) labels, one per record.</summary>
    public static PairwiseAccuracy Of(IEnumerable<(long Predicted, string Truth)> labels)
    {
        var cells = new Dictionary<(long, string), long>();
        var predicted = new Dictionary<long, long>();
        var truth = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (p, t) in labels)
        {
            cells[(p, t)] = cells.GetValueOrDefault((p, t)) + 1;
            predicted[p] = predicted.GetValueOrDefault(p) + 1;
            truth[t] = truth.GetValueOrDefault(t) + 1;
        }

        static long Pairs(long n) => n * (n - 1) / 2;
        return new PairwiseAccuracy(cells.Values.Sum(Pairs), predicted.Values.Sum(Pairs), truth.Values.Sum(Pairs));
    }
}
