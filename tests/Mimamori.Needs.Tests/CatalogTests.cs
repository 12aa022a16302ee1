using System.Text.Json;
using Mimamori.Needs.Indicators;
using Mimamori.Needs.Model;

namespace Mimamori.Needs.Tests;

/// <summary>The feature catalog against the feed specs: a feature whose fact or code no feed produces is silently zero.</summary>
public class CatalogTests
{
    private static readonly DateOnly Ref = new(2025, 12, 31);

    [Fact]
    public void EveryFeature_ReadsAFactAFeedProduces_AndCodesTheFeedUses()
    {
        var (sources, facts) = FeedSpecs();
        var catalog = FeatureCatalog.Default;
        Assert.All(catalog.Groups.SelectMany(g => g.Sources), s => Assert.Contains(s, sources));
        foreach (var f in catalog.Features)
        {
            Assert.True(facts.TryGetValue(f.Fact, out var codes), $"{f.Name}: no feed spec produces the fact {f.Fact}");
            if (codes is null)
            {
                continue;
            }

            // Coded columns: the values a feature selects must be codes the spec maps to.
            foreach (var value in (f.EqualsText is null ? [] : new[] { f.EqualsText }).Concat(f.AnyOf ?? []).Concat(f.Map?.Keys ?? Enumerable.Empty<string>()))
            {
                Assert.True(codes.Contains(value), $"{f.Name}: {f.Fact} has no code '{value}' (codes: {string.Join(", ", codes)})");
            }
        }
    }

    [Fact]
    public void Maps_AnyOf_Recency_AndAgeAtFirst()
    {
        var builder = new FeatureBuilder(FeatureCatalog.Default, Ref);
        var s = builder.Schema;
        List<FactItem> own =
        [
            new("gakuryoku_chosa", 1, "survey.breakfast_daily", null, "rather_no", null),
            new("hospital_fhir", 2, "medical.encounter_reason", Ref.AddMonths(-2), "肋骨骨折", null),
            new("hospital_fhir", 3, "medical.encounter_reason", Ref.AddMonths(-1), "熱傷", null),
            new("hospital_fhir", 4, "medical.encounter_reason", Ref.AddMonths(-1), "中耳炎", null),
            new("yobo_sesshu", 5, "vaccination.dose", new DateOnly(2015, 12, 1), null, 1),
            new("yobo_sesshu", 6, "vaccination.dose", new DateOnly(2016, 6, 1), null, 2),
        ];
        var child = new ChildFacts(1, new DateOnly(2015, 5, 1), own, [], new HashSet<string> { "gakuryoku_chosa", "hospital_fhir", "yobo_sesshu" }, new HashSet<string>());
        var f = builder.Build(child, null, []);
        Assert.Equal(2, f.Values[s.IndexOf("breakfast_daily")]);
        Assert.Equal(2, f.Values[s.IndexOf("injury_concern_visits")]);
        Assert.Equal(7.0, f.Values[s.IndexOf("vaccination_first_age_months")]);
        Assert.Equal(ModelTrainer.MonthsBetween(new DateOnly(2016, 6, 1), Ref), f.Values[s.IndexOf("vaccination_months_since_latest")]);
        // A survey answered nothing the map knows stays unknown inside a present group.
        Assert.True(double.IsNaN(f.Values[s.IndexOf("enjoys_school")]));
        Assert.Equal("朝食を毎日食べるかの回答が2（4=はい〜1=いいえ）", s.Explain(s.IndexOf("breakfast_daily"), f.Values, true));
    }

    [Fact]
    public void AnOpenYotaikyoRegistration_IsSeen()
    {
        var builder = new FeatureBuilder(FeatureCatalog.Default, Ref);
        List<FactItem> own = [new("yotaikyo", 1, "cw.yotaikyo_status", Ref.AddMonths(-5), "open", null), new("yotaikyo", 1, "cw.yotaikyo_kind", Ref.AddMonths(-5), "protection", null)];
        var f = builder.Build(new ChildFacts(1, new DateOnly(2015, 5, 1), own, [], new HashSet<string> { "yotaikyo" }, new HashSet<string>()), null, []);
        Assert.Equal(1, f.Values[builder.Schema.IndexOf("yotaikyo_open")]);
        Assert.Equal(1, f.Values[builder.Schema.IndexOf("yotaikyo_protection")]);
    }

    [Fact]
    public void ACatalog_WithBothEqualsAndAnyOf_IsRefused()
    {
        const string json = """
            { "version": "x", "groups": [ { "id": "g", "sources": ["s"] } ],
              "features": [ { "name": "f", "group": "g", "fact": "k", "equals": "a", "any_of": ["b"], "aggregate": "count" } ] }
            """;
        var e = Assert.Throws<InvalidDataException>(() => FeatureCatalog.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "test.json"));
        Assert.Contains("feature f", e.Message);
    }

    /// <summary>Every feed spec's source, and per fact kind its codes (null when the column is free text or a number).</summary>
    private static (HashSet<string> Sources, Dictionary<string, HashSet<string>?> Facts) FeedSpecs()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "data", "feeds")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var sources = new HashSet<string>(StringComparer.Ordinal);
        var facts = new Dictionary<string, HashSet<string>?>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(dir.FullName, "data", "feeds"), "*.json"))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            sources.Add(doc.RootElement.GetProperty("source").GetString()!);
            foreach (var column in doc.RootElement.GetProperty("columns").EnumerateArray())
            {
                if (!column.TryGetProperty("fact", out var fact))
                {
                    continue;
                }

                HashSet<string>? codes = column.TryGetProperty("codes", out var c) ? c.EnumerateObject().Select(p => p.Value.GetString()!).ToHashSet(StringComparer.Ordinal) : null;
                var kind = fact.GetString()!;
                facts[kind] = facts.TryGetValue(kind, out var known) && (known is null || codes is null) ? null : known is null ? codes : [.. known, .. codes!];
            }
        }

        return (sources, facts);
    }
}
