using System.Text.Json;

namespace Mimamori.Linkage.Specs;

/// <summary>Whether records of one file may join each other (<see cref="Dedupe"/>) or only records of different files (<see cref="Link"/>).</summary>
public enum LinkMode
{
    /// <summary>Duplicates within and across files.</summary>
    Dedupe,

    /// <summary>Only across files: two records of one file are never joined directly.</summary>
    Link,
}

/// <summary>
/// What data staff describe for an ad-hoc linkage of their own lists: the mode and, per file, where it is, how it is
/// encoded, which column is the record id and which columns hold which identity role. Parsing checks everything it can
/// without opening the files; each problem is one sentence (<see cref="LinkSpecException"/>).
/// </summary>
public sealed record LinkSpec(LinkMode Mode, IReadOnlyList<FileSpec> Files)
{
    /// <summary>Every role a column can play.</summary>
    public static IReadOnlyList<string> Roles { get; } =
        ["full_name", "family_name", "given_name", "full_kana", "family_kana", "given_kana", "birth_date", "sex", "postal_code", "address", "phone", "identifier", "other"];

    /// <summary>Reads a spec from JSON text.</summary>
    public static LinkSpec Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new LinkSpecException($"The spec is not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new LinkSpecException("The spec must be a JSON object with \"mode\" and \"files\".");
            }

            var mode = Text(root, "mode", "the spec") switch
            {
                "dedupe" => LinkMode.Dedupe,
                "link" => LinkMode.Link,
                null => throw new LinkSpecException("The spec has no \"mode\"; give \"dedupe\" or \"link\"."),
                var other => throw new LinkSpecException($"The spec's mode \"{other}\" is not one of \"dedupe\" or \"link\"."),
            };
            if (!root.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array || files.GetArrayLength() == 0)
            {
                throw new LinkSpecException("The spec needs \"files\": a non-empty list of files.");
            }

            var list = new List<FileSpec>();
            foreach (var file in files.EnumerateArray())
            {
                list.Add(ParseFile(file, list.Count + 1));
            }

            if (mode == LinkMode.Link && list.Count < 2)
            {
                throw new LinkSpecException("Mode \"link\" joins records across files and needs at least two files; use \"dedupe\" for one file.");
            }

            var duplicate = list.GroupBy(f => f.Path, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new LinkSpecException($"The file \"{duplicate.Key}\" is listed twice in the spec.");
            }

            return new LinkSpec(mode, list);
        }
    }

    private static FileSpec ParseFile(JsonElement file, int number)
    {
        var where = $"file {number}";
        if (file.ValueKind != JsonValueKind.Object)
        {
            throw new LinkSpecException($"Entry {number} of \"files\" must be an object with \"path\" and \"fields\".");
        }

        var path = Text(file, "path", where) ?? throw new LinkSpecException($"{Capitalise(where)} has no \"path\".");
        where = $"file \"{path}\"";
        var encoding = Text(file, "encoding", where) ?? "utf-8";
        encoding = encoding.ToUpperInvariant() switch
        {
            "UTF-8" or "UTF8" => "utf-8",
            "SHIFT_JIS" or "SHIFT-JIS" or "SJIS" or "CP932" => "shift_jis",
            _ => throw new LinkSpecException($"The encoding \"{encoding}\" of {where} is not one of \"utf-8\" or \"shift_jis\"."),
        };
        var delimiterText = Text(file, "delimiter", where) ?? ",";
        if (delimiterText == "\\t")
        {
            delimiterText = "\t";
        }

        if (delimiterText.Length != 1 || delimiterText[0] is '"' or '\n' or '\r')
        {
            throw new LinkSpecException($"The delimiter of {where} must be one character such as \",\" or \"\\t\".");
        }

        var id = Text(file, "id", where);
        if (!file.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object)
        {
            throw new LinkSpecException($"{Capitalise(where)} has no \"fields\" object mapping roles to columns.");
        }

        var roles = new List<RoleColumn>();
        foreach (var field in fields.EnumerateObject())
        {
            if (!Roles.Contains(field.Name))
            {
                throw new LinkSpecException($"The role \"{field.Name}\" in {where} is not one of {string.Join(", ", Roles)}.");
            }

            if (field.Name == "other")
            {
                if (field.Value.ValueKind != JsonValueKind.Array)
                {
                    throw new LinkSpecException($"The role \"other\" in {where} must be a list of column names.");
                }

                foreach (var column in field.Value.EnumerateArray())
                {
                    roles.Add(new RoleColumn("other", ColumnOf(column, "other", where), null));
                }

                continue;
            }

            string columnName;
            string? format = null;
            if (field.Value.ValueKind == JsonValueKind.Object)
            {
                columnName = Text(field.Value, "column", where) ?? throw new LinkSpecException($"The role \"{field.Name}\" in {where} has an object without \"column\".");
                format = Text(field.Value, "format", where);
                if (format is not null && field.Name != "birth_date")
                {
                    throw new LinkSpecException($"The role \"{field.Name}\" in {where} has a \"format\", which only birth_date takes.");
                }
            }
            else
            {
                columnName = ColumnOf(field.Value, field.Name, where);
            }

            if (field.Name == "birth_date")
            {
                format ??= "auto";
                if (format is not ("wareki" or "auto") && !IsDatePattern(format))
                {
                    throw new LinkSpecException($"The birth_date format \"{format}\" in {where} is not a .NET date pattern (such as yyyyMMdd), \"wareki\" or \"auto\".");
                }
            }

            roles.Add(new RoleColumn(field.Name, columnName, format));
        }

        if (roles.Count == 0)
        {
            throw new LinkSpecException($"{Capitalise(where)} maps no column to a role; linkage needs at least a name, a birth date or an identifier.");
        }

        return new FileSpec(path, encoding, delimiterText[0], id, roles);
    }

    private static bool IsDatePattern(string format) =>
        format.Contains("yy", StringComparison.Ordinal) && format.Contains('M', StringComparison.Ordinal) && format.Contains('d', StringComparison.Ordinal);

    private static string ColumnOf(JsonElement value, string role, string where) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s
            ? s
            : throw new LinkSpecException($"The role \"{role}\" in {where} must name a column (a non-empty string, or {{\"column\", \"format\"}}).");

    private static string? Text(JsonElement element, string name, string where)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new LinkSpecException($"\"{name}\" in {where} must be a string.");
    }

    private static string Capitalise(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}

/// <summary>One input file of a <see cref="LinkSpec"/>: path as written (relative to the spec), encoding, delimiter, id column and role columns.</summary>
/// <param name="IdColumn">The record id column; without one the record id is the line number.</param>
public sealed record FileSpec(string Path, string Encoding, char Delimiter, string? IdColumn, IReadOnlyList<RoleColumn> Roles);

/// <summary>A column playing a role; <paramref name="Format"/> is the date format of birth_date (a .NET pattern, wareki or auto).</summary>
public sealed record RoleColumn(string Role, string Column, string? Format);
