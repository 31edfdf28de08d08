using System.IO.Compression;
using System.Text;
using Analytics.Jobs.Ingest;
using Analytics.Jobs.Ingest.Text;

namespace Analytics.Jobs.Tests.Ingest.Text;

/// <summary>Reading delimited text the way producers send it: encodings, separators, quoting, compression, line numbers.</summary>
public sealed class CsvFileTests : IDisposable
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    private static readonly Encoding Windows1252;
    private readonly TempFolder folder = new();

    static CsvFileTests()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Windows1252 = Encoding.GetEncoding(1252);
    }

    public void Dispose() => folder.Dispose();

    private static List<CsvRecord> ReadAll(CsvFile file)
    {
        var records = new List<CsvRecord>();
        while (file.TryRead(out var record))
            records.Add(record);
        return records;
    }

    [Fact]
    public void a_UTF8_file_with_a_byte_order_mark_has_a_clean_first_column_name()
    {
        var path = folder.Write("bom.csv", [.. Encoding.UTF8.Preamble, .. Utf8.GetBytes("code_insee;nom_commune\n22001;Plérin\n")]);
        using var file = CsvFile.Open(path);
        Assert.Equal(["code_insee", "nom_commune"], file.Header);
        Assert.Equal("utf-8", file.Encoding.WebName);
        Assert.Equal(["22001", "Plérin"], Assert.Single(ReadAll(file)).Fields);
    }

    [Fact]
    public void a_UTF8_file_without_byte_order_mark_keeps_its_accents()
    {
        var path = folder.Write("plain.csv", "code_insee;nom_commune\n29019;Châteaulin-sur-Aulne\n");
        using var file = CsvFile.Open(path);
        Assert.Equal("utf-8", file.Encoding.WebName);
        Assert.Equal("Châteaulin-sur-Aulne", Assert.Single(ReadAll(file)).Fields[1]);
    }

    [Fact]
    public void a_Windows_1252_file_has_its_accents_ligatures_and_euro_sign_decoded_right()
    {
        // 'œ' (0x9C) and '€' (0x80) are where Windows-1252 and ISO-8859-1 differ: a Latin-1 reader would get control characters.
        var bytes = Windows1252.GetBytes("code;libellé;montant\n35238;Saint-Étienne-en-Cœur;12 €\n");
        Assert.Contains((byte)0x9C, bytes);
        Assert.Contains((byte)0x80, bytes);
        var path = folder.Write("cp1252.csv", bytes);
        using var file = CsvFile.Open(path);
        Assert.Equal(1252, file.Encoding.CodePage);
        Assert.Equal("libellé", file.Header[1]);
        Assert.Equal(["35238", "Saint-Étienne-en-Cœur", "12 €"], Assert.Single(ReadAll(file)).Fields);
    }

    [Theory]
    [InlineData(";")]
    [InlineData(",")]
    [InlineData("\t")]
    public void the_separator_is_found_from_the_header(string separator)
    {
        var path = folder.Write("sep.csv", string.Join(separator, "code", "year", "value") + "\n" + string.Join(separator, "22001", "2022", "0.5") + "\n");
        using var file = CsvFile.Open(path);
        Assert.Equal(separator[0], file.Separator);
        Assert.Equal(["code", "year", "value"], file.Header);
        Assert.Equal(["22001", "2022", "0.5"], Assert.Single(ReadAll(file)).Fields);
    }

    [Fact]
    public void a_semicolon_file_keeps_decimal_commas_inside_its_fields()
    {
        var path = folder.Write("fr.csv", "code;taux;revenu\n22001;0,068;22 210,5\n");
        using var file = CsvFile.Open(path);
        Assert.Equal(';', file.Separator);
        Assert.Equal(["22001", "0,068", "22 210,5"], Assert.Single(ReadAll(file)).Fields);
    }

    [Fact]
    public void quoted_fields_keep_separators_newlines_and_doubled_quotes()
    {
        var path = folder.Write("quoted.csv",
            "code;label;note\n" +
            "22001;\"Plérin; port\";\"dit \"\"le Légué\"\"\"\n" +
            "22002;\"first line\nsecond line\nthird line\";x\n" +
            "22003;\"\";\n");
        using var file = CsvFile.Open(path);
        var records = ReadAll(file);
        Assert.Equal(3, records.Count);
        Assert.Equal(["22001", "Plérin; port", "dit \"le Légué\""], records[0].Fields);
        Assert.Equal(["22002", "first line\nsecond line\nthird line", "x"], records[1].Fields);
        Assert.Equal(["22003", "", ""], records[2].Fields);
    }

    [Fact]
    public void records_after_a_multi_line_quoted_field_keep_their_physical_line_numbers()
    {
        // Line 1 header; line 2 a record; lines 3-5 one record whose quoted field holds two newlines; line 6 blank; line 7 a record.
        var path = folder.Write("lines.csv", "code;note\n22001;a\n22002;\"one\ntwo\nthree\"\n\n22003;b\n");
        using var file = CsvFile.Open(path);
        var records = ReadAll(file);
        Assert.Equal([2L, 3L, 7L], records.Select(r => r.Line));
        Assert.Equal("22003", records[2].Fields[0]);
    }

    [Fact]
    public void windows_line_endings_are_read_like_unix_ones()
    {
        var path = folder.Write("crlf.csv", "code;value\r\n22001;1\r\n22002;2\r\n");
        using var file = CsvFile.Open(path);
        var records = ReadAll(file);
        Assert.Equal(["22001", "1"], records[0].Fields);
        Assert.Equal(["22002", "2"], records[1].Fields);
        Assert.Equal(3, records[1].Line);
    }

    [Fact]
    public void a_gzip_compressed_file_is_read_transparently_and_reports_compressed_bytes()
    {
        var text = "code;value\n" + string.Concat(Enumerable.Range(1, 500).Select(i => $"{22000 + i};{i}\n"));
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(Utf8.GetBytes(text));
        var path = folder.Write("values.csv.gz", buffer.ToArray());
        using var file = CsvFile.Open(path);
        Assert.True(file.IsCompressed);
        var records = ReadAll(file);
        Assert.Equal(500, records.Count);
        Assert.Equal(["22500", "500"], records[^1].Fields);
        Assert.Equal(501, records[^1].Line);
        Assert.Equal(buffer.Length, file.BytesTotal);
    }

    [Fact]
    public void a_gzip_file_cut_short_is_refused_rather_than_read_as_a_shorter_file()
    {
        // The demo health extract without its last 8 bytes (its gzip trailer): every line decompresses, only the end is missing.
        var whole = File.ReadAllBytes(DemoWorld.File("health_commune.csv.gz"));
        var path = folder.Write("cut.csv.gz", whole[..^8]);
        using var file = CsvFile.Open(path);
        var error = Assert.Throws<IngestException>(() => ReadAll(file));
        Assert.Null(error.Line);
        Assert.StartsWith("the compressed file is damaged or truncated", error.Reason);
    }

    [Fact]
    public void a_byte_that_is_not_UTF8_past_the_sniffed_first_mebibyte_is_reported_on_its_own_line()
    {
        // The encoding is judged on the first MiB; a Windows-1252 'é' far past it means the file mixes encodings.
        var builder = new StringBuilder("code;label\n");
        var line = 1;
        while (builder.Length < 1_100_000)
        {
            builder.Append("22001;Plérin\n");
            line++;
        }
        var badLine = line + 1;
        var bytes = Utf8.GetBytes(builder.ToString()).Concat(Windows1252.GetBytes("22002;Plérin\n")).Concat(Utf8.GetBytes("22003;Plérin\n")).ToArray();
        var path = folder.Write("mixed.csv", bytes);
        using var file = CsvFile.Open(path);
        Assert.Equal("utf-8", file.Encoding.WebName);
        var error = Assert.Throws<IngestException>(() => ReadAll(file));
        Assert.Equal(badLine, error.Line);
        Assert.Contains("mixes encodings", error.Reason);
    }

    [Fact]
    public void a_file_that_is_only_a_header_has_no_records()
    {
        var path = folder.Write("header.csv", "code;value\n");
        using var file = CsvFile.Open(path);
        Assert.Empty(ReadAll(file));
    }
}
