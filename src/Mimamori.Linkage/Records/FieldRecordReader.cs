using Mimamori.Ingestion.Readers;
using Mimamori.Kernel.Dates;
using Mimamori.Linkage.Specs;

namespace Mimamori.Linkage.Records;

/// <summary>
/// Reads one delimited file of a link spec into <see cref="FieldRecord"/>s: the first row is the header, columns are
/// found by name, decoding is strict (<see cref="DelimitedReader"/>). A birth date that does not parse is kept as text
/// and compared as missing, because ad-hoc lists are dirty and one bad cell must not stop the run.
/// </summary>
public static class FieldRecordReader
{
    /// <summary>Longest field kept; names and addresses are far shorter.</summary>
    private const int MaxField = 4096;

    public static IReadOnlyList<FieldRecord> Read(Stream stream, FileSpec spec, int fileIndex)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var records = new List<FieldRecord>();
        try
        {
            int[]? columns = null;
            var idColumn = -1;
            foreach (var row in DelimitedReader.Read(stream, DelimitedReader.EncodingFor(spec.Encoding), spec.Delimiter, MaxField))
            {
                if (columns is null)
                {
                    var header = row.Fields.Select(h => h.Trim()).ToList();
                    columns = [.. spec.Roles.Select(r => IndexOf(header, r.Column, $"role {r.Role}", spec.Path))];
                    idColumn = spec.IdColumn is null ? -1 : IndexOf(header, spec.IdColumn, "the record id", spec.Path);
                    continue;
                }

                records.Add(ToRecord(row, spec, fileIndex, columns, idColumn));
            }

            if (columns is null)
            {
                throw new LinkSpecException($"The file \"{spec.Path}\" is empty; it needs a header row.");
            }
        }
        catch (FeedStructureException e)
        {
            throw new LinkSpecException($"The file \"{spec.Path}\" cannot be read: {e.Message}.", e);
        }

        var duplicate = records.GroupBy(r => r.RecordId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new LinkSpecException($"The record id \"{duplicate.Key}\" occurs more than once in \"{spec.Path}\"; the id column must be unique.");
        }

        return records;
    }

    private static FieldRecord ToRecord(RawRow row, FileSpec spec, int fileIndex, int[] columns, int idColumn)
    {
        string Cell(int i) => i < row.Fields.Length ? row.Fields[i].Trim() : string.Empty;
        var id = idColumn >= 0 ? Cell(idColumn) : row.Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (id.Length == 0)
        {
            throw new LinkSpecException($"Line {row.Line} of \"{spec.Path}\" has an empty record id.");
        }

        var r = FieldRecord.Empty(fileIndex, id);
        var other = new List<string>();
        for (var i = 0; i < spec.Roles.Count; i++)
        {
            var role = spec.Roles[i];
            var value = Cell(columns[i]);
            r = role.Role switch
            {
                "full_name" => r with { FullName = value },
                "family_name" => r with { FamilyName = value },
                "given_name" => r with { GivenName = value },
                "full_kana" => r with { FullKana = value },
                "family_kana" => r with { FamilyKana = value },
                "given_kana" => r with { GivenKana = value },
                "birth_date" => r with { BirthDate = DateText.TryParse(value, role.Format ?? "auto", out var d, out _) ? d : null, BirthDateText = value },
                "sex" => r with { Sex = value },
                "postal_code" => r with { PostalCode = value },
                "address" => r with { Address = value },
                "phone" => r with { Phone = value },
                "identifier" => r with { Identifier = value },
                _ => r,
            };
            if (role.Role == "other")
            {
                other.Add(value);
            }
        }

        return r with { Other = other };
    }

    private static int IndexOf(List<string> header, string column, string what, string path)
    {
        var i = header.IndexOf(column);
        return i >= 0 ? i : throw new LinkSpecException($"The file \"{path}\" has no column \"{column}\" ({what}); its header is: {string.Join(", ", header)}.");
    }
}
