using Mimamori.Ingestion.Specs;

namespace Mimamori.Ingestion.Tests;

public sealed class FeedSpecLoaderTests
{
    [Fact]
    public void Parse_UnknownRole_IsReportedWithTheSpecLine()
    {
        var json = """
            {
              "source": "x", "category": "resident", "purpose": "early_support", "legal_basis": "appi_69_2_2",
              "files": "x/*.csv",
              "columns": [
                {"name": "宛名番号", "role": "atena_no"},
                {"name": "生年", "role": "birthday", "type": "text"}
              ]
            }
            """;
        var (spec, errors) = FeedSpecLoader.Parse(json, "x.json");
        Assert.Null(spec);
        var error = Assert.Single(errors);
        Assert.Equal(6, error.Line);
        Assert.Contains("birthday", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("x.json:6:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BrokenJson_ReportsTheLine()
    {
        var (spec, errors) = FeedSpecLoader.Parse("{\n  \"source\": \"x\",\n  \"columns\": [\n}", "x.json");
        Assert.Null(spec);
        Assert.Equal(4, Assert.Single(errors).Line);
    }

    [Fact]
    public void Parse_LegalBasisOutsideThePolicy_IsRejected()
    {
        var json = """{"source": "x", "category": "tax", "purpose": "early_support", "legal_basis": "because", "files": "x/*.csv", "columns": [{"name": "a", "role": "atena_no"}]}""";
        var (_, errors) = FeedSpecLoader.Parse(json, "x.json", new HashSet<string> { "tax" }, new HashSet<string> { "local_tax_22_consent" });
        Assert.Contains(errors, e => e.Message.Contains("legal basis", StringComparison.Ordinal));
    }
}
