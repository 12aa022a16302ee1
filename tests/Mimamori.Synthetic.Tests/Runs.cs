namespace Mimamori.Synthetic.Tests;

/// <summary>Generations shared by the tests (each is made once, on first use).</summary>
internal static class Runs
{
    private static readonly Lazy<GeneratedRun> SmallRun = new(() => GeneratedRun.Create(3000, 7));
    private static readonly Lazy<GeneratedRun> LargeRun = new(() => GeneratedRun.Create(20_000, 11));
    private static readonly Lazy<GeneratedRun> CleanRun = new(() => GeneratedRun.Create(20_000, 13, NoiseOptions.None));

    /// <summary>3,000 residents, default noise.</summary>
    public static GeneratedRun Small => SmallRun.Value;

    /// <summary>20,000 residents, default noise: large enough for rates.</summary>
    public static GeneratedRun Large => LargeRun.Value;

    /// <summary>20,000 residents without recording noise: rules applied to it must give the truth exactly.</summary>
    public static GeneratedRun Clean => CleanRun.Value;
}
