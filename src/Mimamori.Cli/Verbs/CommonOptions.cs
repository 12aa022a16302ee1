using System.CommandLine;
using System.Globalization;

namespace Mimamori.Cli.Verbs;

/// <summary>Options every verb shares: where the data folder and the database are, and how much to say on failure.</summary>
public static class CommonOptions
{
    public static Option<string> Data { get; } = new("--data")
    {
        Description = "The data folder (synthetic municipality, SQLite file, demo accounts)",
        DefaultValueFactory = _ => "./mimamori-data",
        Recursive = true,
    };

    public static Option<string?> Db { get; } = new("--db")
    {
        Description = "A SQLite file path or a PostgreSQL connection string (Host=...); default $MIMAMORI_DB or DATA/mimamori.db",
        Recursive = true,
    };

    public static Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Print the full error, with its stack trace, on failure",
        Recursive = true,
    };

    public static Option<string?> AsOf { get; } = new("--as-of")
    {
        Description = "Reference date (yyyy-MM-dd) for ages and time windows; default: the latest date in the data",
    };

    public static Settings Resolve(ParseResult parse)
    {
        var data = parse.GetValue(Data) ?? "./mimamori-data";
        var db = parse.GetValue(Db) ?? Environment.GetEnvironmentVariable("MIMAMORI_DB") ?? Settings.DefaultDb(data);
        return new Settings(Path.GetFullPath(data), db, parse.GetValue(Verbose));
    }

    public static DateOnly? ResolveAsOf(ParseResult parse)
    {
        var text = parse.GetValue(AsOf);
        return text is null ? null : ParseDay(text);
    }

    /// <summary>An <c>--as-of</c> value given to a verb, or else today in Japan (where the municipality's day is counted).</summary>
    public static DateOnly AsOfOrToday(string? text, DateTimeOffset now) =>
        text is null ? DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(9)).DateTime) : ParseDay(text);

    private static DateOnly ParseDay(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new UsageException($"--as-of '{text}' is not a date as yyyy-MM-dd.");
}
