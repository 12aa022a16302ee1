using Mimamori.Linkage.Training;

namespace Mimamori.Linkage.Tests.Training;

public sealed class ExpectationMaximisationTests
{
    // Three comparisons; the last level of each is "missing".
    private static readonly double[][] TrueM = [[0.85, 0.10, 0.05, 1], [0.90, 0.07, 0.03, 1], [0.95, 0.05, 1]];
    private static readonly double[][] TrueU = [[0.01, 0.04, 0.95, 1], [0.02, 0.08, 0.90, 1], [0.5, 0.5, 1]];
    private const double TruePrior = 0.2;

    [Fact]
    public void Run_RecoversTheParametersThatGeneratedTheVectors()
    {
        var patterns = Generate(200_000, seed: 7);
        double[][] startM = [[0.6, 0.2, 0.2, 1], [0.6, 0.2, 0.2, 1], [0.7, 0.3, 1]];
        double[][] startU = [[0.1, 0.2, 0.7, 1], [0.1, 0.2, 0.7, 1], [0.4, 0.6, 1]];

        var result = ExpectationMaximisation.Run(patterns, startM, startU, 0.5, new EmOptions(MaxIterations: 2000, Tolerance: 1e-7, EstimateU: true, PseudoPairs: 0));

        Assert.True(result.Converged, $"EM stopped after {result.Iterations} iterations without converging");
        Assert.Equal(TruePrior, result.Prior, 0.01);
        for (var c = 0; c < TrueM.Length; c++)
        {
            for (var l = 0; l < TrueM[c].Length - 1; l++)
            {
                Assert.InRange(result.M[c][l], TrueM[c][l] - 0.02, TrueM[c][l] + 0.02);
                Assert.InRange(result.U[c][l], TrueU[c][l] - 0.02, TrueU[c][l] + 0.02);
            }
        }
    }

    [Fact]
    public void Run_WithoutPseudoPairs_LogLikelihoodNeverFalls()
    {
        var patterns = Generate(20_000, seed: 3);
        var result = ExpectationMaximisation.Run(patterns, [[0.5, 0.3, 0.2, 1], [0.5, 0.3, 0.2, 1], [0.6, 0.4, 1]], TrueU, 0.05, new EmOptions(PseudoPairs: 0));
        for (var i = 1; i < result.LogLikelihood.Count; i++)
        {
            Assert.True(result.LogLikelihood[i] >= result.LogLikelihood[i - 1] - 1e-6, $"log-likelihood fell at iteration {i + 1}");
        }
    }

    [Fact]
    public void Run_WithUFixedFromSampling_RecoversMAndThePrior()
    {
        var patterns = Generate(100_000, seed: 11);
        var result = ExpectationMaximisation.Run(patterns, [[0.5, 0.3, 0.2, 1], [0.5, 0.3, 0.2, 1], [0.6, 0.4, 1]], TrueU, 0.05, new EmOptions(PseudoPairs: 0));
        Assert.True(result.Converged);
        Assert.Equal(TruePrior, result.Prior, 0.01);
        Assert.Equal(TrueM[0][0], result.M[0][0], 0.02);
        Assert.Equal(TrueM[1][0], result.M[1][0], 0.02);
    }

    [Fact]
    public void UnblockedSampler_OnFewRecords_TakesEveryEligiblePair()
    {
        var pairs = UnblockedSampler.Pairs(5, 1000, (a, b) => (a + b) % 2 == 1, seed: 1).ToList();
        Assert.Equal(6, pairs.Count);
        Assert.All(pairs, p => Assert.True(p.A < p.B));
    }

    /// <summary>Draws match or non-match with the prior, then each comparison's level from m or u; 5% of values missing.</summary>
    private static ComparisonPatterns Generate(int pairs, int seed)
    {
        var random = new Random(seed);
        var patterns = new ComparisonPatterns([4, 4, 3]);
        var levels = new byte[3];
        for (var i = 0; i < pairs; i++)
        {
            var match = random.NextDouble() < TruePrior;
            for (var c = 0; c < 3; c++)
            {
                var p = match ? TrueM[c] : TrueU[c];
                if (random.NextDouble() < 0.05)
                {
                    levels[c] = (byte)(p.Length - 1);
                    continue;
                }

                var x = random.NextDouble();
                var l = 0;
                while (l < p.Length - 2 && x >= p[l])
                {
                    x -= p[l];
                    l++;
                }

                levels[c] = (byte)l;
            }

            patterns.Add(levels);
        }

        return patterns;
    }
}
