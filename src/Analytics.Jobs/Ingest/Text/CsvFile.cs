using System.IO.Compression;
using System.Text;

namespace Analytics.Jobs.Ingest.Text;

/// <summary>
/// A delimited text file as producers send them: <c>,</c> or <c>;</c> (or tab) separated, UTF-8
/// with or without BOM or Windows-1252, optionally gzip-compressed, quoted fields per RFC 4180.
/// Streams records with the line they start on; memory stays constant whatever the file size.
/// </summary>
/// <remarks>
/// Problems with the file as a whole (not text, unterminated quote, a line too long to be CSV, a
/// compressed file cut short or decompressing beyond its limit) throw <see cref="IngestException"/>;
/// problems with one record are the caller's to judge. Limits are checked while reading: a line is
/// refused as soon as it passes <see cref="MaxRecordChars"/>, never built whole first (a 300 MB line
/// in a 300 KB gzip would otherwise cost gigabytes).
/// </remarks>
public sealed class CsvFile : IDisposable
{
    /// <summary>No legitimate aggregate record is this long; a longer one means a wrong format or a broken file.</summary>
    public const int MaxRecordChars = 64 * 1024;

    /// <summary>Decompressed size refused by default (4 GiB); <c>Ingest:MaxDecompressedBytes</c> changes it.</summary>
    public const long DefaultMaxDecompressedBytes = 4L * 1024 * 1024 * 1024;

    private const int SniffBytes = 1 << 20;

    /// <summary>What the decoder puts in place of bytes that are not text in the file's encoding (U+FFFD, the replacement character).</summary>
    private const char Undecodable = '\uFFFD';
    private readonly Stream raw;
    private readonly CountingStream counted;
    private readonly TextReader reader;
    private readonly StringBuilder field = new();
    private readonly StringBuilder lineBuilder = new();
    private readonly char[] chars = new char[1 << 16];
    private int charsStart;
    private int charsEnd;
    private long nextLine = 1;
    private bool atEnd;

    public string FileName { get; }
    public IReadOnlyList<string> Header { get; }
    public char Separator { get; }
    public Encoding Encoding { get; }
    public bool IsCompressed { get; }

    /// <summary>Bytes of the (possibly compressed) file consumed so far, for progress.</summary>
    public long BytesRead => counted.Position;
    public long BytesTotal { get; }

    static CsvFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private CsvFile(string path, string fileName, long maxDecompressedBytes)
    {
        FileName = fileName;
        raw = File.OpenRead(path);
        BytesTotal = raw.Length;
        counted = new CountingStream(raw);
        Stream content = counted;
        var magic = new byte[2];
        var read = raw.Read(magic, 0, 2);
        raw.Position = 0;
        if (read == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            IsCompressed = true;
            content = new WholeGzipStream(counted, ReadAnnouncedSize(raw), maxDecompressedBytes, fileName);
        }
        var sniff = ReadUpTo(content, SniffBytes);
        Encoding = DetectEncoding(sniff, fileName);
        reader = new StreamReader(new ReplayStream(sniff, content), Encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        var headerLine = ReadPhysicalLine() ?? throw new IngestException(fileName, null, null, "the file is empty: a header line is expected");
        if (headerLine.Length > 0 && headerLine[0] == '\uFEFF')
            headerLine = headerLine[1..];
        Separator = DetectSeparator(headerLine, fileName);
        Header = SplitLine(headerLine, 1).Select(h => h.Trim()).ToList();
    }

    /// <summary>Opens <paramref name="path"/>; <paramref name="fileName"/> is the name used in messages (the user's, not a temporary path).</summary>
    public static CsvFile Open(string path, string? fileName = null, long maxDecompressedBytes = DefaultMaxDecompressedBytes)
    {
        try
        {
            return new CsvFile(path, fileName ?? Path.GetFileName(path), maxDecompressedBytes);
        }
        catch (InvalidDataException e)
        {
            throw new IngestException(fileName ?? Path.GetFileName(path), null, null, $"the file looks gzip-compressed but cannot be decompressed ({e.Message})");
        }
    }

    /// <summary>Reads the next record; false at the end of the file. Blank lines are skipped.</summary>
    public bool TryRead(out CsvRecord record)
    {
        while (!atEnd)
        {
            var startLine = nextLine;
            IReadOnlyList<string> fields;
            try
            {
                var first = ReadPhysicalLine();
                if (first is null)
                {
                    atEnd = true;
                    break;
                }
                if (first.Length == 0)
                    continue;
                fields = SplitLine(first, startLine);
            }
            catch (InvalidDataException e)
            {
                throw new IngestException(FileName, startLine, null, $"the compressed file is damaged or truncated ({e.Message})");
            }
            record = new CsvRecord(startLine, fields);
            return true;
        }
        record = default;
        return false;
    }

    private string? ReadPhysicalLine()
    {
        var line = ReadLineBounded();
        if (line is not null)
            nextLine++;
        return line;
    }

    private string? ReadLineBounded()
    {
        var line = ReadLineUpTo(MaxRecordChars);
        if (line is null)
            return null;
        if (line.Contains('\0'))
            throw new IngestException(FileName, nextLine, null, "the file contains NUL bytes: it is binary, not a text (CSV) file");
        // Checked line by line rather than by a throwing decoder: the reader decodes 64 KiB ahead, so
        // a decoder's exception would name a line hundreds of lines before the undecodable bytes.
        if (line.Contains(Undecodable))
            throw new IngestException(FileName, nextLine, null,
                $"the text is not valid {Encoding.WebName} here: the file mixes encodings. Save it as UTF-8 and load it again");
        return line;
    }

    /// <summary>
    /// Reads one line (ended by LF, CRLF or CR, as <see cref="TextReader.ReadLine"/> does), refusing
    /// it as soon as it holds more than <paramref name="max"/> characters: memory stays bounded
    /// whatever the line's true length.
    /// </summary>
    private string? ReadLineUpTo(int max)
    {
        lineBuilder.Clear();
        var any = false;
        while (true)
        {
            if (charsStart == charsEnd)
            {
                charsStart = 0;
                charsEnd = reader.Read(chars, 0, chars.Length);
                if (charsEnd == 0)
                    return any ? lineBuilder.ToString() : null;
            }
            any = true;
            var span = chars.AsSpan(charsStart, charsEnd - charsStart);
            var end = span.IndexOfAny('\r', '\n');
            var take = end < 0 ? span.Length : end;
            if (lineBuilder.Length + take > max)
                throw new IngestException(FileName, nextLine, null,
                    $"line {nextLine} is longer than {max / 1024} KiB: this is not a CSV file of aggregates, or its line endings are broken");
            lineBuilder.Append(span[..take]);
            charsStart += take;
            if (end < 0)
                continue;
            var ending = chars[charsStart++];
            if (ending == '\r')
            {
                if (charsStart == charsEnd)
                {
                    charsStart = 0;
                    charsEnd = reader.Read(chars, 0, chars.Length);
                }
                if (charsStart < charsEnd && chars[charsStart] == '\n')
                    charsStart++;
            }
            return lineBuilder.ToString();
        }
    }

    /// <summary>Splits one record, reading further physical lines while a quoted field stays open.</summary>
    private IReadOnlyList<string> SplitLine(string line, long startLine)
    {
        if (!line.Contains('"'))
            return line.Split(Separator); // most records: no quoting, a vectorised split
        var fields = new List<string>();
        field.Clear();
        var inQuotes = false;
        var position = 0;
        var total = line.Length;
        while (true)
        {
            if (position == line.Length)
            {
                if (!inQuotes)
                    break;
                var next = ReadPhysicalLine()
                    ?? throw new IngestException(FileName, startLine, null, $"a quoted field opened on line {startLine} is never closed (truncated file?)");
                total += next.Length + 1;
                if (total > MaxRecordChars)
                    throw new IngestException(FileName, startLine, null, $"the record starting on line {startLine} is longer than {MaxRecordChars / 1024} KiB: an unbalanced quote?");
                field.Append('\n');
                line = next;
                position = 0;
                continue;
            }
            var c = line[position++];
            if (inQuotes)
            {
                if (c != '"')
                    field.Append(c);
                else if (position < line.Length && line[position] == '"')
                {
                    field.Append('"');
                    position++;
                }
                else
                    inQuotes = false;
            }
            else if (c == '"' && field.Length == 0)
                inQuotes = true;
            else if (c == Separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
                field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>The last four bytes of a gzip file: the size of its content modulo 2^32 (RFC 1952, ISIZE).</summary>
    private static uint ReadAnnouncedSize(Stream file)
    {
        var trailer = new byte[4];
        if (file.Length >= trailer.Length)
        {
            file.Seek(-trailer.Length, SeekOrigin.End);
            file.ReadExactly(trailer);
            file.Position = 0;
        }
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer);
    }

    private static byte[] ReadUpTo(Stream stream, int count)
    {
        var buffer = new byte[count];
        var length = 0;
        int read;
        while (length < count && (read = stream.Read(buffer, length, count - length)) > 0)
            length += read;
        return buffer[..length];
    }

    private static Encoding DetectEncoding(byte[] sniff, string fileName)
    {
        var length = sniff.Length;
        if (length >= 2 && ((sniff[0] == 0xFF && sniff[1] == 0xFE) || (sniff[0] == 0xFE && sniff[1] == 0xFF)))
            throw new IngestException(fileName, null, null, "the file is UTF-16 encoded: save it as UTF-8 (or Windows-1252) and load it again");
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        // Do not judge a multi-byte character cut by the end of the sniffed block.
        var judged = length;
        while (judged > 0 && length == SniffBytes && (sniff[judged - 1] & 0xC0) == 0x80)
            judged--;
        if (judged > 0 && length == SniffBytes && sniff[judged - 1] >= 0xC0)
            judged--;
        try
        {
            strict.GetCharCount(sniff, 0, judged);
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, new DecoderReplacementFallback(Undecodable.ToString()));
        }
    }

    private static char DetectSeparator(string header, string fileName)
    {
        int Count(char c) => header.Count(h => h == c);
        var candidates = new[] { ';', ',', '\t' }.Select(c => (c, n: Count(c))).OrderByDescending(p => p.n).ToList();
        if (candidates[0].n == 0)
            throw new IngestException(fileName, 1, null,
                "the header has a single column: columns must be separated by ';' or ',' (is this the right file, or another separator?)");
        return candidates[0].c;
    }

    public void Dispose()
    {
        reader.Dispose();
        raw.Dispose();
    }

    /// <summary>Gives back the sniffed first bytes, then the rest of the stream.</summary>
    private sealed class ReplayStream(byte[] prefix, Stream rest) : Stream
    {
        private int offsetInPrefix;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (offsetInPrefix < prefix.Length)
            {
                var n = Math.Min(count, prefix.Length - offsetInPrefix);
                Array.Copy(prefix, offsetInPrefix, buffer, offset, n);
                offsetInPrefix += n;
                return n;
            }
            return rest.Read(buffer, offset, count);
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>
    /// Decompresses a gzip file and refuses it when it ends early. GZipStream reads a file cut short as
    /// if it ended there, so a truncated file would load as a shorter one; the size its trailer announces
    /// tells: a file that ends anywhere but after its trailer does not match it.
    /// </summary>
    /// <remarks>Also refuses a file that decompresses beyond <paramref name="maxBytes"/>, counted as it comes (the trailer can lie).</remarks>
    private sealed class WholeGzipStream(Stream compressed, uint announcedSize, long maxBytes, string fileName) : Stream
    {
        private readonly GZipStream inner = new(compressed, CompressionMode.Decompress);
        private long length;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => length; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            length += n;
            if (length > maxBytes)
                throw new IngestException(fileName, null, null,
                    $"the compressed file decompresses to more than {maxBytes:N0} bytes, the limit set by Ingest:MaxDecompressedBytes: refused as a possible decompression bomb");
            if (n == 0 && count > 0 && (uint)length != announcedSize)
                throw new IngestException(fileName, null, null,
                    $"the compressed file is damaged or truncated: it decompresses to {length:N0} bytes where its gzip trailer announces {announcedSize:N0} " +
                    "(a download cut short, or several gzip files joined into one?). Compress the complete CSV file again and load it again");
            return n;
        }
        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Counts bytes read from the underlying file, for progress on compressed input too.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        private long position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            position += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>One record and the line of the file it starts on.</summary>
public readonly record struct CsvRecord(long Line, IReadOnlyList<string> Fields);
