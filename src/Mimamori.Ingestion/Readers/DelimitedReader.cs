using System.Text;

namespace Mimamori.Ingestion.Readers;

/// <summary>
/// RFC 4180 delimited text: quoted fields with doubled quotes, delimiters and newlines inside quotes, CRLF or LF.
/// Decoding is strict: a byte sequence that is not valid in the declared encoding stops the file with its line,
/// rather than turning a name into replacement characters that would then be matched.
/// </summary>
public static class DelimitedReader
{
    static DelimitedReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The strict decoder for a spec's encoding name.</summary>
    public static Encoding EncodingFor(string name) => name switch
    {
        "shift_jis" => Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
        _ => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
    };

    /// <summary>Reads rows; the first row is the header when the feed has one.</summary>
    public static IEnumerable<RawRow> Read(Stream stream, Encoding encoding, char delimiter)
    {
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: encoding is UTF8Encoding, bufferSize: 1 << 16, leaveOpen: true);
        var fields = new List<string>();
        var field = new StringBuilder();
        long line = 1;
        long rowStart = 1;
        var inQuotes = false;
        var fieldStarted = false;
        var any = false;
        char[] buffer = new char[1 << 16];
        var pendingQuote = false;

        while (true)
        {
            int read;
            try
            {
                read = reader.Read(buffer, 0, buffer.Length);
            }
            catch (DecoderFallbackException e)
            {
                throw new FeedStructureException($"line {line}: bytes that are not valid {encoding.WebName} ({Hex(e.BytesUnknown)}); the file is not in the declared encoding", e);
            }

            if (read == 0)
            {
                break;
            }

            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (pendingQuote)
                {
                    pendingQuote = false;
                    if (c == '"')
                    {
                        field.Append('"');
                        continue;
                    }

                    inQuotes = false;
                }

                if (inQuotes)
                {
                    if (c == '"')
                    {
                        pendingQuote = true;
                    }
                    else
                    {
                        if (c == '\n')
                        {
                            line++;
                        }

                        field.Append(c);
                    }

                    continue;
                }

                if (c == '"' && !fieldStarted)
                {
                    inQuotes = true;
                    fieldStarted = true;
                    any = true;
                }
                else if (c == delimiter)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    any = true;
                }
                else if (c == '\n')
                {
                    if (any || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        yield return new RawRow(rowStart, [.. fields]);
                    }

                    fields.Clear();
                    field.Clear();
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
                    field.Append(c);
                    fieldStarted = true;
                    any = true;
                }
            }
        }

        if (inQuotes && !pendingQuote)
        {
            throw new FeedStructureException($"line {rowStart}: a quoted field is never closed (unbalanced quotes)");
        }

        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return new RawRow(rowStart, [.. fields]);
        }
    }

    private static string Hex(byte[]? bytes) => bytes is null ? "?" : Convert.ToHexString(bytes);
}
