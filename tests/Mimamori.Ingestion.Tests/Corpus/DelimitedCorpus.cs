using System.Text;
using Mimamori.Ingestion.Readers;
using Mimamori.Ingestion.Specs;
using Mimamori.Ingestion.Validation;

namespace Mimamori.Ingestion.Tests.Corpus;

/// <summary>
/// The broken-file corpus for delimited feeds (issue 4, "Bad input"). Every input is generated here, so the corpus
/// documents itself: the bytes, the spec they are read with, and the outcome they must give.
/// </summary>
public static class DelimitedCorpus
{
    public const string Header = "宛名番号,氏名,氏名カナ,生年月日,性別,欠席日数";
    public const string Row2 = "0000000001,山田　太郎,ﾔﾏﾀﾞ ﾀﾛｳ,平成27年4月3日,1,0";
    public const string Row3 = "0000000002,髙橋　花子,ﾀｶﾊｼ ﾊﾅｺ,令和2年2月3日,2,3";

    /// <summary>The exact text of the formula-injection name.</summary>
    public const string Formula = "=cmd|' /C calc'!A0";

    public const string Script = "<script>alert('x')</script>";

    private const string SpecJson = """
        {
          "source": "corpus", "title": {"ja": "検証用", "en": "Corpus"}, "department": "市民課",
          "category": "resident", "purpose": "early_support", "legal_basis": "appi_69_2_2",
          "format": "csv", "encoding": "ENCODING", "delimiter": ",", "header": true, "files": "corpus/*.csv", "snapshot": "full",
          "columns": [
            {"name": "宛名番号", "role": "atena_no", "type": "text", "required": true},
            {"name": "氏名", "role": "full_name", "type": "text", "required": true},
            {"name": "氏名カナ", "role": "full_kana", "type": "kana"},
            {"name": "生年月日", "role": "birth_date", "type": "date", "format": "wareki", "required": true},
            {"name": "性別", "role": "sex", "type": "code", "codes": {"1": "M", "2": "F"}},
            {"name": "欠席日数", "fact": "school.absence_days", "type": "int", "min": 0, "max": 31}
          ]
        }
        """;

    static DelimitedCorpus() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static FeedSpec Utf8Spec { get; } = Spec("utf-8");

    public static FeedSpec ShiftJisSpec { get; } = Spec("shift_jis");

    private static Encoding Sjis => DelimitedReader.EncodingFor("shift_jis");

    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    public static IReadOnlyList<CorpusCase> All { get; } =
    [
        // Encodings ---------------------------------------------------------------------------------------------
        Case("utf8_declared_shift_jis", ShiftJisSpec, Utf8.GetBytes($"{Header}\n{Row2}\n"), CorpusExpectation.Refusal("not in the declared encoding", 1)),
        Case("shift_jis_declared_utf8", Utf8Spec, Sjis.GetBytes($"{Header}\r\n{Row2}\r\n"), CorpusExpectation.Refusal("not valid utf-8", 1)),
        // Line 3 is UTF-8 that decodes without any error as Shift_JIS (佐藤 would become 菴占陸): only the UTF-8 probe sees it.
        Case("mixed_encoding_silent", ShiftJisSpec, Concat(Sjis.GetBytes($"{Header}\r\n{Row2}\r\n"), Utf8.GetBytes("0000000003,佐藤,,,1,0\r\n"), Sjis.GetBytes($"{Row3}\r\n")),
            CorpusExpectation.Refusal("UTF-8", 3)),
        // A real surname whose Shift_JIS bytes (E2 98 8E C2 8F) happen to be valid UTF-8 too (☎ and a C1 control):
        // the file is Shift_JIS and every row is accepted.
        Case("shift_jis_that_is_also_valid_utf8", ShiftJisSpec, Sjis.GetBytes($"{Header}\r\n{Row2}\r\n0102500557,笘篠秀,ﾄﾏﾉ ｼｭｳ,昭和50年7月22日,1,0\r\n{Row3}\r\n"),
            CorpusExpectation.Counts(3, 3, 0)),
        Case("mixed_encoding_invalid", ShiftJisSpec, Concat(Sjis.GetBytes($"{Header}\r\n{Row2}\r\n{Row3}\r\n"), Utf8.GetBytes($"{Row2}\r\n")),
            CorpusExpectation.Refusal("line 4")),
        Case("utf8_cut_multibyte_at_end", Utf8Spec, Utf8.GetBytes($"{Header}\n{Row2}\n0000000003,山田　次")[..^2], CorpusExpectation.Refusal("ends in the middle", 3)),
        Case("shift_jis_cut_multibyte_at_end", ShiftJisSpec, Sjis.GetBytes($"{Header}\r\n{Row2}\r\n0000000003,山田")[..^1], CorpusExpectation.Refusal("ends in the middle", 3)),
        Case("utf8_bom_declared_shift_jis", ShiftJisSpec, Concat([0xEF, 0xBB, 0xBF], Utf8.GetBytes($"{Header}\n{Row2}\n")), CorpusExpectation.Refusal("UTF-8 byte-order mark", 1)),
        Case("utf16", Utf8Spec, Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes($"{Header}\n{Row2}\n")).ToArray(), CorpusExpectation.Refusal("UTF-16", 1)),
        // Two exports joined: the second one's BOM and header land in the middle of the first.
        Case("bom_in_the_middle", Utf8Spec, Concat(Utf8.GetPreamble(), Utf8.GetBytes($"{Header}\n{Row2}\n"), [0xEF, 0xBB, 0xBF], Utf8.GetBytes($"{Header}\n{Row3}\n")),
            CorpusExpectation.Counts(3, 2, 1, "byte-order mark")),

        // Structure ---------------------------------------------------------------------------------------------
        Case("unbalanced_quotes", Utf8Spec, Utf8.GetBytes($"{Header}\n{Row2}\n0000000003,\"山田　三郎,ﾔﾏﾀﾞ,令和2年2月3日,1,0\n{Row3}\n"), CorpusExpectation.Refusal("never closed", 3)),
        Case("extra_column", Utf8Spec, Utf8.GetBytes($"{Header}\n{Row2}\n{Row3},余分\n{Row2}\n"), CorpusExpectation.Counts(3, 2, 1, "6 columns, found 7")),
        Case("missing_column", Utf8Spec, Utf8.GetBytes($"{Header}\n{Row2}\n0000000003,山田　三郎,ﾔﾏﾀﾞ,令和2年2月3日,1\n"), CorpusExpectation.Counts(2, 1, 1, "6 columns, found 5")),
        Case("missing_required_header", Utf8Spec, Utf8.GetBytes("宛名番号,氏名カナ,性別\n0000000001,ﾔﾏﾀﾞ,1\n"), CorpusExpectation.Refusal("氏名, 生年月日 missing", 1)),
        Case("empty_file", Utf8Spec, [], CorpusExpectation.Refusal("empty", 1)),
        Case("header_only", Utf8Spec, Utf8.GetBytes($"{Header}\n"), CorpusExpectation.Counts(0, 0, 0)),
        Case("header_only_without_newline", ShiftJisSpec, Sjis.GetBytes(Header), CorpusExpectation.Counts(0, 0, 0)),
        Case("blank_lines_between_rows", Utf8Spec, Utf8.GetBytes($"{Header}\r\n\r\n{Row2}\r\n\r\n{Row3}\r\n\r\n"), CorpusExpectation.Counts(2, 2, 0)),
        Case("thousands_of_columns", Utf8Spec, Utf8.GetBytes($"{Header}\n{Row2}\n{new string(',', 100_000)}\n"), CorpusExpectation.Counts(2, 1, 1, "found more than 1024")),

        // Values ------------------------------------------------------------------------------------------------
        Case("invalid_dates", ShiftJisSpec, Sjis.GetBytes(
            $"{Header}\r\n" +
            "0000000001,山田　太郎,ﾔﾏﾀﾞ,平成32年1月1日,1,0\r\n" + // 平成 ended in its 31st year
            "0000000002,山田　次郎,ﾔﾏﾀﾞ,令和0年5月1日,1,0\r\n" + // the first year is 元年
            "0000000003,山田　三郎,ﾔﾏﾀﾞ,令和2年2月30日,1,0\r\n" +
            "0000000004,山田　四郎,ﾔﾏﾀﾞ,2020-02-03,1,0\r\n" + // a 西暦 date where the spec says 和暦
            $"{Row3}\r\n"), CorpusExpectation.Counts(5, 1, 4, "is not a calendar date")),
        Case("invalid_codes", Utf8Spec, Utf8.GetBytes(
            $"{Header}\n" +
            "0000000001,山田　太郎,ﾔﾏﾀﾞ,平成27年4月3日,9,0\n" +
            "0000000002,山田　次郎,ﾔﾏﾀﾞ,平成27年4月3日,男,0\n" +
            "0000000003,山田　三郎,ﾔﾏﾀﾞ,平成27年4月3日,1,40\n" +
            "0000000004,山田　四郎,ﾔﾏﾀﾞ,平成27年4月3日,1,三\n" +
            "0000000005,山田　五郎,yamada,平成27年4月3日,1,0\n" +
            $"{Row3}\n"), CorpusExpectation.Counts(6, 1, 5, "one of 1, 2")),
        Case("nul_bytes", Utf8Spec, Utf8.GetBytes($"{Header}\n0000000001,山田\0太郎,ﾔﾏﾀﾞ,平成27年4月3日,1,0\n{Row3}\n"), CorpusExpectation.Counts(2, 1, 1, "NUL")),
        Case("formula_injection", Utf8Spec, Utf8.GetBytes($"{Header}\n0000000001,{Formula},ﾔﾏﾀﾞ,平成27年4月3日,1,0\n0000000002,\"=HYPERLINK(\"\"http://x\"\")\",ﾔﾏﾀﾞ,平成27年4月3日,1,0\n"), CorpusExpectation.Counts(2, 2, 0)),
        Case("script_in_name", Utf8Spec, Utf8.GetBytes($"{Header}\n0000000001,{Script},ﾔﾏﾀﾞ,平成27年4月3日,1,0\n"), CorpusExpectation.Counts(1, 1, 0)),

        // Hostile sizes and bytes --------------------------------------------------------------------------------
        new("field_of_50_mb", Utf8Spec, () => new HugeFieldStream(Utf8.GetBytes($"{Header}\n{Row2}\n0000000002,"), 50L << 20, Utf8.GetBytes($",ﾔﾏﾀﾞ,令和2年2月3日,1,0\n{Row3}\n")),
            CorpusExpectation.Counts(3, 2, 1, $"at most {FeedReader.MaxFieldLength} characters")),
        Case("binary_junk_as_utf8", Utf8Spec, Junk(7, 4096), CorpusExpectation.Refusal("not valid utf-8")),
        Case("binary_junk_as_shift_jis", ShiftJisSpec, Junk(8, 4096), CorpusExpectation.Refusal("not in the declared encoding")),
        Case("xlsx_sent_as_csv", ShiftJisSpec, Concat("PK\u0003\u0004"u8.ToArray(), Junk(9, 512)), CorpusExpectation.Refusal("ZIP archive", 1)),
    ];

    public static CorpusCase Get(string name) => All.Single(c => c.Name == name);

    public static FeedSpec Spec(string encoding)
    {
        var (spec, errors) = FeedSpecLoader.Parse(SpecJson.Replace("ENCODING", encoding, StringComparison.Ordinal), "corpus.json");
        Assert.Empty(errors);
        return spec!;
    }

    private static CorpusCase Case(string name, FeedSpec spec, byte[] bytes, CorpusExpectation expected) =>
        new(name, spec, () => new MemoryStream(bytes, writable: false), expected);

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>Seeded random bytes: the same junk every run.</summary>
    private static byte[] Junk(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0xC0; // never a valid first byte, whatever the seed gives
        return bytes;
    }
}

/// <summary>A stream of a prefix, <c>size</c> bytes of 'A' and a suffix, produced on demand: 50 MB without holding 50 MB.</summary>
internal sealed class HugeFieldStream(byte[] prefix, long size, byte[] suffix) : Stream
{
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => prefix.Length + size + suffix.Length;

    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = 0;
        while (n < count && position < Length)
        {
            buffer[offset + n] = position < prefix.Length ? prefix[position]
                : position < prefix.Length + size ? (byte)'A'
                : suffix[position - prefix.Length - size];
            n++;
            position++;
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
