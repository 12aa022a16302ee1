namespace Mimamori.Synthetic;

/// <summary>What to generate: a municipality of <paramref name="Population"/> residents as of <paramref name="AsOf"/>.</summary>
/// <param name="Population">Residents to generate (the last household may overshoot by a few).</param>
/// <param name="Seed">Every random choice derives from this; the same options give byte-identical output.</param>
/// <param name="Years">Years of history in the feeds that have history (check-ups, consultations).</param>
/// <param name="AsOf">The reference date of every snapshot; outcomes are the 12 months after it.</param>
/// <param name="City">戸田市 or 福岡市 use real 町丁目 lists; any other name gets generated towns.</param>
/// <param name="Preset">The preset name the options came from (informational).</param>
/// <param name="Noise">Noise rates in the non-registry feeds; <see cref="NoiseOptions.Default"/> when null.</param>
public sealed record SynthOptions(int Population, int Seed, int Years, DateOnly AsOf, string City, string Preset, NoiseOptions? Noise = null);

/// <summary>
/// Rates of the recording noise in the feeds other than the resident registry (which is clean apart from legitimate variety).
/// Rates marked "per person and feed" are decided once for a person in a feed, so every row of that person in that feed
/// carries the same error, as a mistyped master record would.
/// </summary>
/// <param name="VariantRate">A registry name written with common characters shows a variant (高→髙, 辺→邊), per person and feed.</param>
/// <param name="VariantFoldRate">A registry name written with a variant (髙, 邉) shows the common form, per person and feed.</param>
/// <param name="KanaTypoRate">A kana reading with a typo (small kana, voicing mark, long vowel), per person and feed.</param>
/// <param name="SpaceNoiseRate">The space between family and given name missing or of the other width, per row.</param>
/// <param name="WidthMixRate">A kana field in the other width (half-width in a full-width column and back), per row.</param>
/// <param name="BirthDateTypoRate">A birth date with one digit wrong or day and month swapped, per person and feed.</param>
/// <param name="MissingAtenaRate">A blank 宛名番号 in feeds that carry it, per row.</param>
/// <param name="ConsultationMissingAtenaRate">A blank 宛名番号 in consultation records (the reporter did not know it), per row.</param>
/// <param name="ConsultationMissingBirthRate">A blank birth date in consultation records, per row.</param>
/// <param name="DuplicateRowRate">A row exported twice, per row.</param>
/// <param name="OldSurnameRate">A recently changed surname still shown in its old form, per person and feed.</param>
/// <param name="FormerResidentRate">Residents who moved out or died, per year of history: they stay in the 異動 history and older records (住登外 for the systems that keep them).</param>
/// <param name="ReturnedResidentRate">People who moved in during the history window and had lived here before: their earlier stay had another 宛名番号.</param>
/// <param name="NonResidentPupilRate">Pupils from another municipality at a school here (区域外就学), per municipal pupil; the education board numbers them itself.</param>
/// <param name="AtenaReuseRate">A 宛名番号 of someone else (a number re-issued after its holder left) in a department feed, per person and feed.</param>
/// <param name="GaijiSurnameRate">Households with 吉 in the surname registered with 𠮷 (U+20BB7), which Shift_JIS exports show as 〓 or ＊.</param>
/// <param name="SwappedOrderRate">Given name written before the family name, per row (ten times as often in a partner NPO's list); also, per patient, a hospital registration with the given name and its reading in the family-name fields.</param>
/// <param name="WarekiEraErrorRate">A compact 和暦 date (R07.11.28) with the wrong era letter, per row.</param>
/// <param name="StaleAddressRate">After a move within the city, a department still holds the old address, per person and feed.</param>
/// <param name="SameNameBirthdayPairs">Pairs of different residents with the same name, sex and birth date, per 100,000 residents (at least two).</param>
/// <param name="LateCorrectionRate">A 異動 row exported with a mistake and corrected in a later file, per row.</param>
public sealed record NoiseOptions(
    double VariantRate = 0.03,
    double VariantFoldRate = 0.5,
    double KanaTypoRate = 0.01,
    double SpaceNoiseRate = 0.04,
    double WidthMixRate = 0.01,
    double BirthDateTypoRate = 0.005,
    double MissingAtenaRate = 0.01,
    double ConsultationMissingAtenaRate = 0.30,
    double ConsultationMissingBirthRate = 0.10,
    double DuplicateRowRate = 0.003,
    double OldSurnameRate = 0.30,
    double FormerResidentRate = 0.002,
    double ReturnedResidentRate = 0.005,
    double NonResidentPupilRate = 0.004,
    double AtenaReuseRate = 0.0005,
    double GaijiSurnameRate = 0.10,
    double SwappedOrderRate = 0.01,
    double WarekiEraErrorRate = 0.003,
    double StaleAddressRate = 0.30,
    double SameNameBirthdayPairs = 3,
    double LateCorrectionRate = 0.002)
{
    /// <summary>The defaults: realistic levels that a careful linker can still resolve.</summary>
    public static NoiseOptions Default { get; } = new();

    /// <summary>No recording noise at all (legitimate variety in the registry remains).</summary>
    public static NoiseOptions None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

/// <summary>The pilot municipalities as presets (population as in the national pilots; 3 years; as of 2026-03-31).</summary>
public static class SynthPresets
{
    /// <summary>Preset names in a fixed order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["toda", "akishima", "kaga", "fuchu", "amagasaki", "fukuoka", "aichi"];

    /// <summary>The options for a preset; throws <see cref="ArgumentException"/> for an unknown name.</summary>
    public static SynthOptions Get(string preset, int seed)
    {
        var asOf = new DateOnly(2026, 3, 31);
        var (population, city) = (preset ?? string.Empty).ToUpperInvariant() switch
        {
            "TODA" => (140_000, "戸田市"),
            "AKISHIMA" => (110_000, "昭島市"),
            "KAGA" => (60_000, "加賀市"),
            "FUCHU" => (52_000, "府中町"),
            "AMAGASAKI" => (460_000, "尼崎市"),
            "FUKUOKA" => (1_620_000, "福岡市"),
            "AICHI" => (7_510_000, "愛知県"),
            _ => throw new ArgumentException($"Unknown preset '{preset}'. Known: {string.Join(", ", Names)}.", nameof(preset)),
        };
        return new SynthOptions(population, seed, 3, asOf, city, preset!.ToLowerInvariant());
    }
}

/// <summary>What was generated.</summary>
/// <param name="Residents">Residents in the registry.</param>
/// <param name="Households">Households in the registry.</param>
/// <param name="Children">Residents under 18 at the reference date.</param>
/// <param name="RowsPerFeed">Data rows (header excluded) written per feed source name.</param>
public sealed record SynthSummary(int Residents, int Households, int Children, IReadOnlyDictionary<string, int> RowsPerFeed);
