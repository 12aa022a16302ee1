using Mimamori.Storage.Connection;

namespace Mimamori.Cli;

/// <summary>Where things are: the data folder, the database, the feed specs shipped beside the program.</summary>
public sealed record Settings(string DataDir, string DbSetting, bool Verbose)
{
    private MimamoriDatabase? database;

    /// <summary>The database, with the data key ring found by <see cref="DataKeys"/> (built on first use, so the demo can create a key first).</summary>
    public MimamoriDatabase Database => database ??= MimamoriDatabase.FromSetting(DbSetting).WithCipher(DataKeys.Resolve(DataDir));

    /// <summary>Synthetic municipality output (feeds/ and truth/).</summary>
    public string SynthDir => Path.Combine(DataDir, "synth");

    public string FeedsDir => Path.Combine(SynthDir, "feeds");

    public string TruthDir => Path.Combine(SynthDir, "truth");

    /// <summary>The feed specs: data/feeds beside the program.</summary>
    public static string SpecsDir => Path.Combine(AppContext.BaseDirectory, "data", "feeds");

    /// <summary>The default database: a SQLite file in the data folder.</summary>
    public static string DefaultDb(string dataDir) => Path.Combine(dataDir, "mimamori.db");
}
