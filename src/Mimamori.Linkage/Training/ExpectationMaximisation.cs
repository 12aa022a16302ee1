namespace Mimamori.Linkage.Training;

/// <summary>
/// Fellegi–Sunter parameters by expectation–maximisation over comparison vectors: each pair's probability of being a
/// match given m, u and the prior (E), then m (and u, when asked) as the match-weighted level shares and the prior as
/// the mean match probability (M), until no parameter moves more than the tolerance. Missing levels carry no
/// evidence and are left out. m and the prior are smoothed towards their starting values by pseudo-pairs, so a short
/// list (where a handful of pairs cannot teach anything) keeps sensible values, while a long one is ruled by its data.
/// </summary>
public static class ExpectationMaximisation
{
    /// <summary>Runs EM from starting values; u stays fixed unless <see cref="EmOptions.EstimateU"/>.</summary>
    public static EmResult Run(ComparisonPatterns patterns, double[][] m, double[][] u, double prior, EmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        options ??= new EmOptions();
        var list = patterns.Patterns.ToList();
        var sizes = patterns.LevelCounts;
        var m0 = Copy(m);
        var u0 = Copy(u);
        m = Copy(m);
        u = Copy(u);
        var lambda = Math.Clamp(prior, 1e-9, 1 - 1e-9);
        var lambda0 = lambda;
        var iterations = 0;
        var change = double.PositiveInfinity;
        var history = new List<double>();
        while (iterations < options.MaxIterations && change > options.Tolerance)
        {
            iterations++;
            var mTally = sizes.Select(n => new double[n]).ToArray();
            var uTally = sizes.Select(n => new double[n]).ToArray();
            double matches = 0;
            double total = 0;
            double logLikelihood = 0;
            foreach (var (levels, count) in list)
            {
                double pm = lambda;
                double pu = 1 - lambda;
                for (var c = 0; c < levels.Length; c++)
                {
                    var l = levels[c];
                    if (l == sizes[c] - 1)
                    {
                        continue;
                    }

                    pm *= m[c][l];
                    pu *= u[c][l];
                }

                var p = pm + pu <= 0 ? 0 : pm / (pm + pu);
                logLikelihood += count * Math.Log(Math.Max(pm + pu, 1e-300));
                matches += p * count;
                total += count;
                for (var c = 0; c < levels.Length; c++)
                {
                    mTally[c][levels[c]] += p * count;
                    uTally[c][levels[c]] += (1 - p) * count;
                }
            }

            history.Add(logLikelihood);
            change = 0;
            var next = Math.Clamp((matches + (options.PseudoPairs * lambda0)) / Math.Max(total + options.PseudoPairs, 1), 1e-9, 1 - 1e-9);
            change = Math.Max(change, Math.Abs(next - lambda));
            lambda = next;
            for (var c = 0; c < sizes.Count; c++)
            {
                if (!options.FixM)
                {
                    change = Math.Max(change, Update(m[c], mTally[c], m0[c], options.PseudoPairs));
                }

                if (options.EstimateU)
                {
                    change = Math.Max(change, Update(u[c], uTally[c], u0[c], options.PseudoPairs));
                }
            }
        }

        return new EmResult(m, u, lambda, iterations, change <= options.Tolerance, change, history);
    }

    /// <summary>New level shares from the tallies (missing level excluded), smoothed towards the start; the largest change.</summary>
    private static double Update(double[] values, double[] tally, double[] start, double pseudo)
    {
        var n = values.Length;
        double present = 0;
        for (var l = 0; l < n - 1; l++)
        {
            present += tally[l];
        }

        double change = 0;
        for (var l = 0; l < n - 1; l++)
        {
            var next = (tally[l] + (pseudo * start[l])) / (present + pseudo);
            next = Math.Max(next, 1e-12);
            change = Math.Max(change, Math.Abs(next - values[l]));
            values[l] = next;
        }

        values[n - 1] = 1;
        return change;
    }

    private static double[][] Copy(double[][] a) => [.. a.Select(x => (double[])x.Clone())];
}

/// <summary>EM settings: iterations cap, convergence tolerance (largest parameter change), whether u is estimated too, the pseudo-pairs that smooth towards the start, and whether m stays fixed (only the prior is estimated).</summary>
public sealed record EmOptions(int MaxIterations = 200, double Tolerance = 1e-5, bool EstimateU = false, double PseudoPairs = 5, bool FixM = false);

/// <summary>The estimated m, u (per comparison and level; missing levels 1) and prior, and how the iteration ended.</summary>
/// <param name="LogLikelihood">The log-likelihood at each iteration; without pseudo-pairs it never falls.</param>
public sealed record EmResult(double[][] M, double[][] U, double Prior, int Iterations, bool Converged, double LastChange, IReadOnlyList<double> LogLikelihood);
