using System.Globalization;
using ClosedXML.Excel;

namespace Mimamori.Ingestion.Readers;

/// <summary>
/// The first worksheet of an .xlsx file as rows of text. Date cells become ISO dates (yyyy-MM-dd), numbers their
/// invariant text, so that validation sees one representation whatever the cell type.
/// </summary>
public static class SpreadsheetReader
{
    public static IEnumerable<RawRow> Read(Stream stream)
    {
        XLWorkbook workbook;
        try
        {
            workbook = new XLWorkbook(stream);
        }
        catch (Exception e) when (e is InvalidDataException or FileFormatException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new FeedStructureException("the file is not a readable .xlsx workbook", e);
        }

        using (workbook)
        {
            var sheet = workbook.Worksheets.FirstOrDefault() ?? throw new FeedStructureException("the workbook has no worksheet");
            var used = sheet.RangeUsed();
            if (used is null)
            {
                yield break;
            }

            var lastColumn = used.LastColumn().ColumnNumber();
            foreach (var row in sheet.RowsUsed())
            {
                var fields = new string[lastColumn];
                for (var c = 1; c <= lastColumn; c++)
                {
                    fields[c - 1] = CellText(row.Cell(c));
                }

                yield return new RawRow(row.RowNumber(), fields);
            }
        }
    }

    private static string CellText(IXLCell cell)
    {
        if (cell.IsEmpty())
        {
            return string.Empty;
        }

        return cell.DataType switch
        {
            XLDataType.DateTime => cell.GetDateTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            XLDataType.Number => cell.GetDouble().ToString(CultureInfo.InvariantCulture),
            _ => cell.GetString(),
        };
    }
}
