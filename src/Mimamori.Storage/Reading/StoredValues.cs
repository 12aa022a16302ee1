using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Mimamori.Storage.Connection;

namespace Mimamori.Storage.Reading;

/// <summary>Conversions from the stored text forms (ISO dates, JSON columns) shared by the reading queries.</summary>
internal static class StoredValues
{
    public static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    public static int? Age(DateOnly? birth, DateOnly today)
    {
        if (birth is not { } b || b > today)
        {
            return null;
        }

        var age = today.Year - b.Year;
        return b.AddYears(age) > today ? age - 1 : age;
    }

    public static int BandRank(string band) => band switch
    {
        "high" => 3,
        "medium" => 2,
        "low" => 1,
        _ => 0,
    };

    public static string BandOfRank(int rank) => rank switch
    {
        3 => "high",
        2 => "medium",
        1 => "low",
        _ => "none",
    };

    public const string BandRankSql = "CASE n.band WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END";

    /// <summary>The signals column; malformed JSON yields no signals rather than an error page for the whole list.</summary>
    public static List<NeedSignal> Signals(string? json)
    {
        var list = new List<NeedSignal>();
        if (!TryParse(json, out var doc))
        {
            return list;
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return list;
            }

            foreach (var s in doc.RootElement.EnumerateArray())
            {
                var evidence = new List<SignalEvidence>();
                if (s.TryGetProperty("evidence", out var ev) && ev.ValueKind == JsonValueKind.Array)
                {
                    foreach (var e in ev.EnumerateArray())
                    {
                        evidence.Add(new SignalEvidence(
                            Text(e, "source") ?? string.Empty,
                            e.TryGetProperty("record_id", out var rid) && rid.ValueKind == JsonValueKind.Number && rid.TryGetInt64(out var id) ? id : null,
                            null,
                            Date(Text(e, "date")),
                            Text(e, "value")));
                    }
                }

                var weight = s.TryGetProperty("weight", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetDouble() : 0;
                list.Add(new NeedSignal(Text(s, "rule") ?? string.Empty, Text(s, "ja") ?? string.Empty, Text(s, "en") ?? string.Empty, weight, evidence));
            }
        }

        return list;
    }

    /// <summary>A JSON array of strings (the missing column).</summary>
    public static List<string> Strings(string? json)
    {
        var list = new List<string>();
        if (!TryParse(json, out var doc))
        {
            return list;
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind == JsonValueKind.Array)
            {
                list.AddRange(doc.RootElement.EnumerateArray().Select(Scalar).OfType<string>());
            }
        }

        return list;
    }

    /// <summary>The original row (a JSON object) as ordered name/value pairs.</summary>
    public static List<KeyValuePair<string, string?>> Original(string? json)
    {
        var list = new List<KeyValuePair<string, string?>>();
        if (!TryParse(json, out var doc))
        {
            return list;
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                list.AddRange(doc.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, string?>(p.Name, Scalar(p.Value))));
            }
        }

        return list;
    }

    /// <summary>Fills in each evidence item's category from its source record.</summary>
    public static List<NeedSignal> WithCategories(List<NeedSignal> signals, IReadOnlyDictionary<long, string> categories) =>
        signals.Select(s => s with
        {
            Evidence = s.Evidence.Select(e => e with
            {
                Category = e.RecordId is { } id && categories.TryGetValue(id, out var c) ? c : null,
            }).ToList(),
        }).ToList();

    /// <summary>record_id → category for the given records, read in chunks to stay under parameter limits.</summary>
    public static Dictionary<long, string> Categories(DbConnection connection, IEnumerable<long> recordIds)
    {
        var result = new Dictionary<long, string>();
        foreach (var chunk in recordIds.Distinct().Chunk(500))
        {
            foreach (var row in connection.Query<(long RecordId, string Category)>(
                "SELECT record_id, category FROM source_record WHERE record_id IN " + SqlLists.Ids(chunk)))
            {
                result[row.RecordId] = row.Category;
            }
        }

        return result;
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? Scalar(v) : null;

    private static string? Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => v.GetRawText(),
    };

    private static bool TryParse(string? json, out JsonDocument doc)
    {
        doc = null!;
        if (string.IsNullOrWhiteSpace(json))
        {
            return false;
        }

        try
        {
            doc = JsonDocument.Parse(json);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
