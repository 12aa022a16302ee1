using Mimamori.Storage.Connection;

namespace Mimamori.Cli;

/// <summary>Where things are: the data folder, the database, the feed specs shipped beside the program.</summary>
public sealed record Settings(string DataDir, string DbSetting, bool Verbose)
{
    public MimamoriDatabase Database { get; } = MimamoriDatabase.FromSetting(DbSetting);

    /// <summary>Synthetic municipality output (feeds/ and truth/).</summary>
    public string SynthDir => Path.Combine(DataDir, "synth");

    public string FeedsDir => Path.Combine(SynthDir, "feeds");

    public string TruthDir => Path.Combine(SynthDir, "truth");

    /// <summary>The feed specs: data/feeds beside the program.</summary>
    public static string SpecsDir => Path.Combine(AppContext.BaseDirectory, "data", "feeds");

    /// <summary>The default database: a SQLite file in the data folder.</summary>
    public static string DefaultDb(string dataDir) => Path.Combine(dataDir, "mimamori.db");
}
