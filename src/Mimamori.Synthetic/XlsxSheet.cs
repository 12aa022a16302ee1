using ClosedXML.Excel;

namespace Mimamori.Synthetic;

/// <summary>
/// A one-sheet workbook being written: header in row 1, one data row per call, each recorded in the truth with its
/// sheet row. The package is normalised on completion so the same options give the same bytes.
/// </summary>
internal sealed class XlsxSheet : IDisposable
{
    private readonly XLWorkbook _workbook = new();
    private readonly IXLWorksheet _sheet;
    private readonly Func<string, Stream> _openWrite;
    private readonly TruthRecords _truth;
    private readonly string _source;
    private readonly string _file;
    private readonly DateTime _stamp;
    private readonly double[] _widths;
    private int _row = 1;

    public XlsxSheet(World world, Func<string, Stream> openWrite, TruthRecords truth, string source, string file, string sheetName, string author, string[] headers, double[] widths)
    {
        _openWrite = openWrite;
        _truth = truth;
        _source = source;
        _file = file;
        _widths = widths;
        // Fixed document dates: the workbook must be byte-identical for the same options.
        _stamp = world.AsOf.ToDateTime(TimeOnly.MinValue);
        _workbook.Properties.Created = _stamp;
        _workbook.Properties.Modified = _stamp;
        _workbook.Properties.Author = author;
        _sheet = _workbook.Worksheets.Add(sheetName);
        for (var i = 0; i < headers.Length; i++)
        {
            _sheet.Cell(1, i + 1).Value = headers[i];
        }
    }

    public int Rows => _row - 1;

    /// <summary>Strings are text cells (numbers kept as typed, leading zeros kept), ints numbers, dates date cells; null leaves the cell empty.</summary>
    public void Row(Person subject, params object?[] values)
    {
        _row++;
        for (var i = 0; i < values.Length; i++)
        {
            var cell = _sheet.Cell(_row, i + 1);
            switch (values[i])
            {
                case null:
                    break;
                case string s when s.Length == 0:
                    break;
                case string s:
                    cell.SetValue(s).SetDataType(XLDataType.Text);
                    break;
                case int n:
                    cell.SetValue(n);
                    break;
                case double d:
                    cell.SetValue(d);
                    break;
                case DateOnly date:
                    cell.SetValue(date.ToDateTime(TimeOnly.MinValue));
                    cell.Style.NumberFormat.Format = "yyyy/mm/dd";
                    break;
                default:
                    throw new ArgumentException($"unsupported cell value {values[i]!.GetType()}", nameof(values));
            }
        }

        _truth.Add(_source, _file, _row, subject);
    }

    public void Dispose()
    {
        // AdjustToContents needs System.Drawing, which is not available: fixed widths instead.
        for (var i = 0; i < _widths.Length; i++)
        {
            _sheet.Column(i + 1).Width = _widths[i];
        }

        using (var buffer = new MemoryStream())
        {
            _workbook.SaveAs(buffer);
            var bytes = XlsxNormalizer.Normalize(buffer.ToArray(), _stamp);
            using var output = _openWrite("feeds/" + _file);
            output.Write(bytes);
        }

        _workbook.Dispose();
    }
}
