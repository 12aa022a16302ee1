using System.Text;

namespace Mimamori.Synthetic;

/// <summary>Encodings of the exports: Shift_JIS (CP932) with CRLF for legacy systems, UTF-8 for the newer ones.</summary>
internal static class Encodings
{
    static Encodings()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        // A character CP932 cannot hold must stop generation rather than turn silently into '?'.
        ShiftJis = Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    public static Encoding ShiftJis { get; }

    public static Encoding Utf8 { get; } = new UTF8Encoding(false);

    /// <summary>UTF-8 with a byte-order mark, as Windows tools write CSV meant for Excel.</summary>
    public static Encoding Utf8Bom { get; } = new UTF8Encoding(true);
}

/// <summary>
/// truth/records.csv: which person every data row of every feed is about. Feed writers add a row here for each data
/// row they write, with its physical line number (the header is line 1).
/// </summary>
internal sealed class TruthRecords : IDisposable
{
    private readonly StreamWriter _writer;

    public TruthRecords(Stream stream)
    {
        _writer = new StreamWriter(stream, Encodings.Utf8, 1 << 16) { NewLine = "\n" };
        _writer.WriteLine("source,file,line,person_id");
    }

    public void Add(string source, string file, int line, Person person)
    {
        _writer.Write(source);
        _writer.Write(',');
        _writer.Write(file);
        _writer.Write(',');
        _writer.Write(line);
        _writer.Write(',');
        _writer.WriteLine(person.Id);
    }

    public void Dispose() => _writer.Dispose();
}

/// <summary>A CSV file being written: escapes fields, counts physical lines and records each row's subject in the truth.</summary>
internal sealed class CsvFile : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly TruthRecords? _truth;
    private readonly string _source;
    private readonly string _file;
    private readonly char _delimiter;
    private readonly char? _gaiji;
    private readonly StringBuilder _line = new(256);

    /// <param name="gaiji">
    /// For a Shift_JIS file, the character the exporting system writes for one it cannot hold (〓 or ＊); characters
    /// outside CP932 are all outside the BMP here, so surrogate pairs are what gets replaced.
    /// </param>
    public CsvFile(Stream stream, Encoding encoding, string newLine, string source, string file, TruthRecords? truth, char delimiter = ',', char gaiji = '〓')
    {
        _writer = new StreamWriter(stream, encoding, 1 << 16) { NewLine = newLine };
        _truth = truth;
        _source = source;
        _file = file;
        _delimiter = delimiter;
        _gaiji = encoding.CodePage == 932 ? gaiji : null;
    }

    /// <summary>Physical lines written so far.</summary>
    public int Lines { get; private set; }

    /// <summary>Data rows written so far.</summary>
    public int Rows { get; private set; }

    public void Header(params string[] columns)
    {
        WriteFields(columns);
    }

    /// <summary>Writes a data row about <paramref name="subject"/>.</summary>
    public void Row(Person subject, params string[] fields)
    {
        WriteFields(fields);
        Rows++;
        _truth?.Add(_source, _file, Lines, subject);
    }

    private void WriteFields(string[] fields)
    {
        _line.Clear();
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                _line.Append(_delimiter);
            }

            var f = fields[i];
            if (_gaiji is { } g && f.AsSpan().IndexOfAnyInRange('\uD800', '\uDBFF') >= 0)
            {
                f = ReplaceSurrogates(f, g);
            }

            if (f.AsSpan().IndexOfAny(_delimiter, '"', '\n') >= 0 || f.Contains('\r', StringComparison.Ordinal))
            {
                _line.Append('"').Append(f.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                _line.Append(f);
            }
        }

        _writer.WriteLine(_line);
        Lines++;
    }

    private static string ReplaceSurrogates(string s, char replacement)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                sb.Append(replacement);
                i++;
            }
            else
            {
                sb.Append(s[i]);
            }
        }

        return sb.ToString();
    }

    public void Dispose() => _writer.Dispose();
}
