using System.Buffers;
using System.Text;

namespace Mimamori.Ingestion.Readers;

/// <summary>
/// RFC 4180 delimited text: quoted fields with doubled quotes, delimiters and newlines inside quotes, CRLF or LF.
/// Decoding is strict: a byte sequence that is not valid in the declared encoding stops the file with its line,
/// rather than turning a name into replacement characters that would then be matched.
/// </summary>
/// <remarks>
/// Bytes are decoded one physical line at a time so that an encoding fault is reported on the line that holds it,
/// not on the line where a read-ahead buffer happened to start. Memory stays bounded whatever the input: a field
/// keeps at most <c>maxFieldLength</c> characters and a row at most <see cref="MaxFieldsPerRow"/> + 1 fields; the
/// rest is read and dropped, so the oversized value still fails validation instead of exhausting memory.
/// </remarks>
public static class DelimitedReader
{
    /// <summary>Fields kept per row; real exports have well under a hundred columns.</summary>
    public const int MaxFieldsPerRow = 1024;

    /// <summary>The field cap for callers that do not set one (trusted files such as the ground truth).</summary>
    public const int DefaultMaxFieldLength = 1 << 20;

    private const int ChunkBytes = 1 << 16;

    static DelimitedReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The strict decoder for a spec's encoding name.</summary>
    public static Encoding EncodingFor(string name) => name switch
    {
        "shift_jis" => Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
        _ => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
    };

    /// <summary>Reads rows; the first row is the header when the feed has one.</summary>
    /// <param name="maxFieldLength">Characters kept per field; longer fields are cut to this length (and nothing more is held in memory).</param>
    public static IEnumerable<RawRow> Read(Stream stream, Encoding encoding, char delimiter, int maxFieldLength = DefaultMaxFieldLength)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(encoding);
        return ReadRows(stream, encoding, delimiter, maxFieldLength);
    }

    private static IEnumerable<RawRow> ReadRows(Stream stream, Encoding encoding, char delimiter, int maxFieldLength)
    {
        var isUtf8 = encoding is UTF8Encoding;
        var decoder = encoding.GetDecoder();
        var bytes = new byte[ChunkBytes];
        var chars = new char[encoding.GetMaxCharCount(ChunkBytes)];
        var utf8Line = new Utf8LineProbe();
        var rows = new RowBuilder(delimiter, maxFieldLength);
        long byteLine = 1;
        var first = true;

        while (true)
        {
            var read = ReadChunk(stream, bytes);
            var start = 0;
            if (first)
            {
                first = false;
                start = CheckStart(bytes, read, isUtf8, encoding.WebName);
            }

            if (read == 0)
            {
                break;
            }

            while (start < read)
            {
                // One segment ends at a line feed (0x0A is never a trail byte in UTF-8 or Shift_JIS) or at the chunk end.
                var newline = Array.IndexOf(bytes, (byte)'\n', start, read - start);
                var end = newline < 0 ? read : newline + 1;
                int count;
                try
                {
                    count = decoder.GetChars(bytes, start, end - start, chars, 0, flush: false);
                }
                catch (DecoderFallbackException e)
                {
                    throw new FeedStructureException($"line {byteLine}: bytes that are not valid {encoding.WebName} ({Hex(e.BytesUnknown)}); the file is not in the declared encoding", e);
                }

                if (!isUtf8)
                {
                    utf8Line.Add(bytes.AsSpan(start, end - start));
                    if (newline >= 0)
                    {
                        CheckNotUtf8(ref utf8Line, byteLine);
                    }
                }

                if (newline >= 0)
                {
                    byteLine++;
                }

                start = end;
                rows.Add(chars.AsSpan(0, count));
                foreach (var row in rows.Completed)
                {
                    yield return row;
                }

                rows.Completed.Clear();
            }
        }

        try
        {
            decoder.GetChars([], 0, 0, chars, 0, flush: true);
        }
        catch (DecoderFallbackException e)
        {
            throw new FeedStructureException($"line {byteLine}: the file ends in the middle of a {encoding.WebName} character ({Hex(e.BytesUnknown)}); it was cut off in transfer or export", e);
        }

        if (!isUtf8)
        {
            CheckNotUtf8(ref utf8Line, byteLine);
        }

        if (rows.Finish() is { } last)
        {
            yield return last;
        }
    }

    private static int ReadChunk(Stream stream, byte[] buffer)
    {
        // Fill the buffer where the stream allows it, so the start-of-file checks see whole byte-order marks.
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer, total, buffer.Length - total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    /// <summary>Skips a UTF-8 byte-order mark where it is allowed; refuses files that are plainly not text of the declared encoding.</summary>
    private static int CheckStart(byte[] bytes, int read, bool isUtf8, string name)
    {
        var head = bytes.AsSpan(0, read);
        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            throw new FeedStructureException("line 1: the file is a ZIP archive (an .xlsx workbook?), not delimited text");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            throw new FeedStructureException($"line 1: the file starts with a UTF-16 byte-order mark; it is UTF-16, not {name} as declared");
        }

        if (head.StartsWith("\uFEFF"u8))
        {
            return isUtf8 ? 3 : throw new FeedStructureException($"line 1: the file starts with a UTF-8 byte-order mark; it is UTF-8, not {name} as declared");
        }

        return 0;
    }

    /// <summary>
    /// UTF-8 Japanese often decodes without error as Shift_JIS (佐藤 becomes 菴占陸), so strict decoding alone cannot
    /// catch it. A line that is valid UTF-8 and holds three- or four-byte sequences is practically never real Shift_JIS
    /// text: kana and level-1 kanji start with bytes that UTF-8 only allows as continuation bytes.
    /// </summary>
    private static void CheckNotUtf8(ref Utf8LineProbe probe, long line)
    {
        if (probe.LooksLikeUtf8)
        {
            throw new FeedStructureException($"line {line}: the line is UTF-8 text, not shift_jis as declared (a UTF-8 file, or UTF-8 lines mixed into a Shift_JIS file)");
        }

        probe = default;
    }

    private static string Hex(byte[]? bytes) => bytes is null ? "?" : Convert.ToHexString(bytes);

    /// <summary>
    /// The RFC 4180 state machine over decoded characters. Runs of ordinary characters are found with a vectorised
    /// search and copied in one go, and each field becomes one string when it ends: no per-character appends.
    /// </summary>
    private sealed class RowBuilder
    {
        private readonly char delimiter;
        private readonly int maxFieldLength;
        private readonly SearchValues<char> stops;
        private readonly List<string> fields = [];
        private char[] field = new char[256];
        private int fieldLength;
        private long line = 1;
        private long rowStart = 1;
        private bool inQuotes;
        private bool fieldStarted;
        private bool any;
        private bool pendingQuote;

        public RowBuilder(char delimiter, int maxFieldLength)
        {
            this.delimiter = delimiter;
            this.maxFieldLength = maxFieldLength;
            stops = SearchValues.Create([delimiter, '"', '\n', '\r']);
        }

        /// <summary>Rows ended by the characters added so far, for the caller to hand on and clear.</summary>
        public List<RawRow> Completed { get; } = [];

        public void Add(ReadOnlySpan<char> span)
        {
            var i = 0;
            while (i < span.Length)
            {
                if (pendingQuote)
                {
                    pendingQuote = false;
                    if (span[i] == '"')
                    {
                        Append("\"");
                        i++;
                        continue;
                    }

                    inQuotes = false;
                }

                if (inQuotes)
                {
                    var rest = span[i..];
                    var k = rest.IndexOfAny('"', '\n');
                    if (k < 0)
                    {
                        Append(rest);
                        i = span.Length;
                        continue;
                    }

                    Append(rest[..k]);
                    if (rest[k] == '"')
                    {
                        pendingQuote = true;
                    }
                    else
                    {
                        line++;
                        Append("\n");
                    }

                    i += k + 1;
                    continue;
                }

                var c = span[i];
                if (c == '"' && !fieldStarted)
                {
                    inQuotes = true;
                    fieldStarted = true;
                    any = true;
                }
                else if (c == delimiter)
                {
                    EndField();
                    fieldStarted = false;
                    any = true;
                }
                else if (c == '\n')
                {
                    if (any || fieldLength > 0)
                    {
                        EndField();
                        Completed.Add(new RawRow(rowStart, [.. fields]));
                    }

                    fields.Clear();
                    fieldLength = 0;
                    fieldStarted = false;
                    any = false;
                    line++;
                    rowStart = line;
                }
                else if (c == '\r')
                {
                    // CR of a CRLF; a lone CR inside a field is kept only when quoted.
                }
                else
                {
                    // A quote inside an unquoted field is kept as a character; then the run up to the next special one.
                    var run = span[(c == '"' ? i + 1 : i)..];
                    var k = run.IndexOfAny(stops);
                    var length = (k < 0 ? run.Length : k) + (c == '"' ? 1 : 0);
                    Append(span.Slice(i, length));
                    fieldStarted = true;
                    any = true;
                    i += length;
                    continue;
                }

                i++;
            }
        }

        /// <summary>The last row when the file does not end with a line feed; throws on an unclosed quote.</summary>
        public RawRow? Finish()
        {
            if (inQuotes && !pendingQuote)
            {
                throw new FeedStructureException($"line {rowStart}: a quoted field is never closed (unbalanced quotes)");
            }

            if (any || fieldLength > 0)
            {
                EndField();
                return new RawRow(rowStart, [.. fields]);
            }

            return null;
        }

        private void Append(ReadOnlySpan<char> text)
        {
            var n = Math.Min(text.Length, maxFieldLength - fieldLength);
            if (n <= 0)
            {
                return;
            }

            if (fieldLength + n > field.Length)
            {
                Array.Resize(ref field, Math.Max(field.Length * 2, fieldLength + n));
            }

            text[..n].CopyTo(field.AsSpan(fieldLength));
            fieldLength += n;
        }

        private void EndField()
        {
            if (fields.Count <= MaxFieldsPerRow)
            {
                fields.Add(fieldLength == 0 ? string.Empty : new string(field, 0, fieldLength));
            }

            fieldLength = 0;
        }
    }

    /// <summary>
    /// Follows the bytes of one line as strict UTF-8 (no overlong forms, no surrogates, no C1 controls) and counts the
    /// characters that Japanese text is made of: kana, kanji, CJK punctuation and full-width forms. A Shift_JIS line
    /// can be valid UTF-8 by chance (笘篠秀 is E2 98 8E C2 8F 47, which UTF-8 reads as ☎, a C1 control and G), but it
    /// then decodes to symbols and controls, never to Japanese: only a line with Japanese characters counts as UTF-8.
    /// </summary>
    private struct Utf8LineProbe
    {
        private int pending;
        private int length;
        private int codePoint;
        private bool invalid;
        private int japanese;

        public readonly bool LooksLikeUtf8 => !invalid && pending == 0 && japanese > 0;

        public void Add(ReadOnlySpan<byte> span)
        {
            foreach (var b in span)
            {
                if (invalid)
                {
                    return;
                }

                if (pending > 0)
                {
                    if ((b & 0xC0) != 0x80)
                    {
                        invalid = true;
                        return;
                    }

                    codePoint = (codePoint << 6) | (b & 0x3F);
                    if (--pending == 0)
                    {
                        Complete();
                    }
                }
                else if (b < 0x80)
                {
                    continue;
                }
                else if (b is >= 0xC2 and <= 0xDF)
                {
                    Start(b & 0x1F, 2);
                }
                else if (b is >= 0xE0 and <= 0xEF)
                {
                    Start(b & 0x0F, 3);
                }
                else if (b is >= 0xF0 and <= 0xF4)
                {
                    Start(b & 0x07, 4);
                }
                else
                {
                    invalid = true;
                }
            }
        }

        private void Start(int bits, int bytes)
        {
            codePoint = bits;
            length = bytes;
            pending = bytes - 1;
        }

        private void Complete()
        {
            var overlong = (length == 3 && codePoint < 0x800) || (length == 4 && codePoint < 0x10000);
            if (overlong || codePoint is >= 0xD800 and <= 0xDFFF || codePoint is >= 0x80 and <= 0x9F || codePoint > 0x10FFFF)
            {
                invalid = true;
                return;
            }

            if (IsJapanese(codePoint))
            {
                japanese++;
            }
        }

        private static bool IsJapanese(int c) =>
            c is >= 0x3000 and <= 0x30FF // CJK punctuation, hiragana, katakana
            or >= 0x3200 and <= 0x33FF // enclosed CJK and compatibility (㈱, ㍻)
            or >= 0x3400 and <= 0x4DBF // CJK extension A
            or >= 0x4E00 and <= 0x9FFF // CJK unified ideographs
            or >= 0xF900 and <= 0xFAFF // compatibility ideographs
            or >= 0xFF00 and <= 0xFFEF // full-width and half-width forms
            or >= 0x20000 and <= 0x3134F; // CJK extensions B to G (人名用の外字)
    }
}
