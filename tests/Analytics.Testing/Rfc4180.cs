namespace Analytics.Testing;

/// <summary>A reader of RFC 4180 text (quoted cells may hold separators, quotes and line breaks), as a spreadsheet reads it.</summary>
public static class Rfc4180
{
    public static List<string[]> Read(string text, char separator = ';')
    {
        var records = new List<string[]>();
        var record = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == separator) { record.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\n') { record.Add(cell.ToString()); cell.Clear(); records.Add([.. record]); record.Clear(); }
            else cell.Append(c);
        }
        if (cell.Length > 0 || record.Count > 0)
        {
            record.Add(cell.ToString());
            records.Add([.. record]);
        }
        return records;
    }
}
