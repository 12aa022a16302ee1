namespace Mimamori.Synthetic;

/// <summary>The generated municipality: towns, schools, households and residents with their truth.</summary>
internal sealed class World
{
    public World(SynthOptions options)
    {
        Options = options;
        Noise = options.Noise ?? NoiseOptions.Default;
        AsOf = options.AsOf;
        FiscalYear = AsOf.Month >= 4 ? AsOf.Year : AsOf.Year - 1;
        FiscalYearStart = new DateOnly(FiscalYear, 4, 1);
    }

    public SynthOptions Options { get; }
    public NoiseOptions Noise { get; }
    public DateOnly AsOf { get; }

    /// <summary>The 年度 that contains the reference date (2025 for 2026-03-31).</summary>
    public int FiscalYear { get; }
    public DateOnly FiscalYearStart { get; }
    public int Seed => Options.Seed;

    public List<Town> Towns { get; } = [];
    public List<School> Schools { get; } = [];
    public List<Household> Households { get; } = [];
    public List<Person> Persons { get; } = [];

    /// <summary>People who left during the history window (moved out or died): in the 異動 history and older records, not in the snapshot.</summary>
    public List<Person> Former { get; } = [];

    /// <summary>Pupils from other municipalities attending a school here (区域外就学).</summary>
    public List<Person> NonResidentPupils { get; } = [];

    /// <summary>Start of the history window (AsOf minus Years).</summary>
    public DateOnly WindowStart => AsOf.AddYears(-Options.Years);

    /// <summary>Date format tag for file names (20260331).</summary>
    public string AsOfTag => AsOf.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
}
