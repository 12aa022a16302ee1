namespace Mimamori.Needs.Model;

/// <summary>
/// Platt scaling: p = 1 / (1 + exp(A·s + B)), fitted by Newton's method on held-out scores with Platt's smoothed
/// targets (so that a few extreme scores do not drive the fit). It keeps the order of scores, so AUC is unchanged.
/// </summary>
public sealed record PlattScaling(double A, double B)
{
    public double Probability(double score)
    {
        var z = (A * score) + B;
        return z >= 0 ? Math.Exp(-z) / (1 + Math.Exp(-z)) : 1 / (1 + Math.Exp(z));
    }

    public static PlattScaling Fit(IReadOnlyList<(double Score, bool Positive)> items)
    {
        double prior1 = items.Count(i => i.Positive), prior0 = items.Count - prior1;
        var hi = (prior1 + 1) / (prior1 + 2);
        var lo = 1 / (prior0 + 2);
        var t = items.Select(i => i.Positive ? hi : lo).ToArray();
        double a = 0, b = Math.Log((prior0 + 1) / (prior1 + 1));
        const double sigma = 1e-12;
        var fval = Objective(items, t, a, b);
        for (var iter = 0; iter < 100; iter++)
        {
            double h11 = sigma, h22 = sigma, h21 = 0, g1 = 0, g2 = 0;
            for (var i = 0; i < items.Count; i++)
            {
                var s = items[i].Score;
                var fApB = (s * a) + b;
                double p, q;
                if (fApB >= 0)
                {
                    p = Math.Exp(-fApB) / (1 + Math.Exp(-fApB));
                    q = 1 / (1 + Math.Exp(-fApB));
                }
                else
                {
                    p = 1 / (1 + Math.Exp(fApB));
                    q = Math.Exp(fApB) / (1 + Math.Exp(fApB));
                }

                var d2 = p * q;
                h11 += s * s * d2;
                h22 += d2;
                h21 += s * d2;
                var d1 = t[i] - p;
                g1 += s * d1;
                g2 += d1;
            }

            if (Math.Abs(g1) < 1e-5 && Math.Abs(g2) < 1e-5)
            {
                break;
            }

            var det = (h11 * h22) - (h21 * h21);
            var dA = -((h22 * g1) - (h21 * g2)) / det;
            var dB = -((-h21 * g1) + (h11 * g2)) / det;
            var gd = (g1 * dA) + (g2 * dB);
            var step = 1.0;
            while (step >= 1e-10)
            {
                var na = a + (step * dA);
                var nb = b + (step * dB);
                var nf = Objective(items, t, na, nb);
                if (nf < fval + (1e-4 * step * gd))
                {
                    (a, b, fval) = (na, nb, nf);
                    break;
                }

                step /= 2;
            }

            if (step < 1e-10)
            {
                break;
            }
        }

        return new PlattScaling(a, b);
    }

    private static double Objective(IReadOnlyList<(double Score, bool Positive)> items, double[] t, double a, double b)
    {
        double f = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var z = (items[i].Score * a) + b;
            f += z >= 0 ? (t[i] * z) + Math.Log(1 + Math.Exp(-z)) : ((t[i] - 1) * z) + Math.Log(1 + Math.Exp(z));
        }

        return f;
    }
}

/// <summary>Which side of the household split a child falls on.</summary>
public enum SplitPart
{
    /// <summary>Fits the model.</summary>
    Fit,

    /// <summary>Part of train held out to fit the calibration and pick parameters.</summary>
    Calibration,

    /// <summary>Never seen in training: every reported figure is measured here.</summary>
    Test,
}

/// <summary>
/// A deterministic split by household: the SHA-256 of the household key decides, so siblings always fall on the same
/// side, a rerun gives the same split, and a child's side does not depend on who else is in the data.
/// </summary>
public static class HouseholdSplit
{
    public const int TestPercent = 25;
    public const int CalibrationPercent = 20;

    public static SplitPart Of(string householdKey, string salt = "mimamori-split-1")
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(salt + "\n" + householdKey));
        var bucket = (int)(BitConverter.ToUInt64(hash, 0) % 10000);
        if (bucket < TestPercent * 100)
        {
            return SplitPart.Test;
        }

        // The calibration share is of the train part.
        var rest = (bucket - (TestPercent * 100)) / (double)(10000 - (TestPercent * 100));
        return rest < CalibrationPercent / 100.0 ? SplitPart.Calibration : SplitPart.Fit;
    }

    /// <summary>
    /// The cross-fitting fold (0 … folds − 1) of a training household: a hash with its own salt, so folds cut across
    /// the fit/calibration parts and siblings always share a fold.
    /// </summary>
    public static int Fold(string householdKey, int folds)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("mimamori-fold-1\n" + householdKey));
        return (int)(BitConverter.ToUInt64(hash, 0) % (ulong)folds);
    }

    /// <summary>A household's place in [0, 1), for sampling whole households of a large train split.</summary>
    public static double Sample(string householdKey)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("mimamori-sample-1\n" + householdKey));
        return (BitConverter.ToUInt64(hash, 0) >> 11) / (double)(1UL << 53);
    }

    /// <summary>train or test, as exported (the calibration part is part of train).</summary>
    public static string Name(SplitPart part) => part == SplitPart.Test ? "test" : "train";
}
