using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Analytics.Models.Privacy;

/// <summary>
/// Recognises direct identifiers — names, NIR social-security numbers, birth dates, addresses,
/// e-mail addresses, phone numbers — in column names and in values. The product takes only
/// pseudonymised aggregates: a file carrying any of these is refused whole.
/// </summary>
/// <remarks>
/// Findings name the column and the kind of identifier, never the value itself, so that the
/// refusal message can be logged and shown safely.
/// </remarks>
public static partial class DirectIdentifiers
{
    /// <summary>Normalised column names that denote a direct identifier (French and English usage).</summary>
    private static readonly Dictionary<string, string> IdentifyingColumns = new(StringComparer.Ordinal)
    {
        ["nom"] = "a person's name", ["prenom"] = "a person's first name", ["prenoms"] = "a person's first name",
        ["nom_de_famille"] = "a person's name", ["nom_naissance"] = "a person's name", ["nom_patient"] = "a person's name",
        ["nom_usage"] = "a person's name", ["nom_de_naissance"] = "a person's name", ["first_name"] = "a person's first name", ["last_name"] = "a person's name",
        ["surname"] = "a person's name", ["given_name"] = "a person's first name", ["patient_name"] = "a person's name",
        ["full_name"] = "a person's name", ["firstname"] = "a person's first name", ["lastname"] = "a person's name",
        ["nir"] = "a NIR (social-security number)", ["nir_patient"] = "a NIR (social-security number)",
        ["numero_securite_sociale"] = "a NIR (social-security number)", ["numero_de_securite_sociale"] = "a NIR (social-security number)", ["num_secu"] = "a NIR (social-security number)",
        ["no_secu"] = "a NIR (social-security number)", ["numero_ss"] = "a NIR (social-security number)",
        ["securite_sociale"] = "a NIR (social-security number)", ["ssn"] = "a social-security number",
        ["insee_patient"] = "a NIR (social-security number)", ["ins"] = "a national health identifier (INS)",
        ["date_naissance"] = "a birth date", ["date_de_naissance"] = "a birth date", ["ddn"] = "a birth date",
        ["naissance"] = "a birth date", ["birth_date"] = "a birth date", ["birthdate"] = "a birth date",
        ["date_of_birth"] = "a birth date", ["dob"] = "a birth date",
        ["adresse"] = "a postal address", ["adresse_postale"] = "a postal address", ["address"] = "a postal address",
        ["street"] = "a postal address", ["rue"] = "a postal address", ["voie"] = "a postal address",
        ["email"] = "an e-mail address", ["e_mail"] = "an e-mail address", ["mail"] = "an e-mail address",
        ["courriel"] = "an e-mail address", ["adresse_mail"] = "an e-mail address", ["adresse_email"] = "an e-mail address",
        ["adresse_e_mail"] = "an e-mail address",
        ["telephone"] = "a phone number", ["tel"] = "a phone number", ["phone"] = "a phone number",
        ["portable"] = "a phone number", ["mobile"] = "a phone number", ["phone_number"] = "a phone number",
        ["num_tel"] = "a phone number", ["numero_telephone"] = "a phone number", ["numero_de_telephone"] = "a phone number",
    };

    /// <summary>What a column's name says it holds, or null when the name is not identifying.</summary>
    public static string? DescribeColumn(string columnName)
    {
        var key = Normalise(columnName);
        return IdentifyingColumns.TryGetValue(key, out var kind) ? kind : null;
    }

    /// <summary>
    /// What kind of direct identifier a text holds anywhere inside it ("NIR 185057800608491 Dupont", "contact
    /// jean.dupont@example.fr"), or null when it holds none. Invisible characters (zero-width spaces and joiners,
    /// word joiner, byte-order mark, soft hyphen) are removed and the text is NFKC-normalised first, so that neither
    /// can split or disguise an identifier.
    /// </summary>
    public static string? DescribeValue(string value)
    {
        if (value.Length < 6)
            return null;
        var text = Visible(value);
        if (!MayHoldIdentifier(text))
            return null;
        if (text.Contains('@') && EmailPattern().IsMatch(text))
            return "an e-mail address";
        foreach (Match candidate in NirCandidatePattern().Matches(text))
            if (IsNir(Compact(candidate.Value)))
                return "a NIR (social-security number)";
        if (FrenchPhonePattern().IsMatch(text))
            return "a phone number";
        return null;
    }

    /// <summary>
    /// Cheap first look, run on every field of every file: an e-mail needs an '@', a NIR or a phone
    /// number at least nine digits. Most fields (codes, counts, labels) stop here.
    /// </summary>
    private static bool MayHoldIdentifier(string text)
    {
        var digits = 0;
        foreach (var c in text)
        {
            if (c == '@')
                return true;
            if (char.IsAsciiDigit(c) && ++digits >= 9)
                return true;
        }
        return false;
    }

    /// <summary>The text without format characters (U+200B–U+200D, U+2060, U+FEFF…) and soft hyphens, NFKC-normalised (full-width digits become digits).</summary>
    private static string Visible(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value.Normalize(NormalizationForm.FormKC))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format && c != '\u00AD')
                builder.Append(c);
        return builder.ToString();
    }

    private static string Compact(string candidate) =>
        candidate.Replace(" ", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>
    /// A French NIR: sex digit, birth year and month, département (2A/2B for Corsica) and commune,
    /// order number, and — when 15 characters — a key equal to 97 − (number mod 97).
    /// </summary>
    public static bool IsNir(string compact)
    {
        var match = NirPattern().Match(compact);
        if (!match.Success)
            return false;
        if (compact.Length == 13)
            return true;
        var body = compact[..13].Replace("2A", "19", StringComparison.Ordinal).Replace("2B", "18", StringComparison.Ordinal);
        var number = ulong.Parse(body, CultureInfo.InvariantCulture);
        var key = int.Parse(compact[13..], CultureInfo.InvariantCulture);
        return key == 97 - (int)(number % 97);
    }

    private static string Normalise(string name)
    {
        var decomposed = name.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder();
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                continue;
            builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }
        return builder.ToString().Trim('_').Replace("__", "_", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex EmailPattern();

    // Anywhere in a text, not glued to other letters or digits: the NIR's groups (1 85 05 78 006 084 91), each
    // optionally separated by a space, dot or dash; the longest form (with its key) is tried first.
    [GeneratedRegex(@"(?<![0-9A-Za-z])[12378][ .\-]?\d{2}[ .\-]?\d{2}[ .\-]?(?:\d{2}|2[ABab])[ .\-]?\d{3}[ .\-]?\d{3}(?:[ .\-]?\d{2})?(?![0-9A-Za-z])")]
    private static partial Regex NirCandidatePattern();

    // Sex 1/2 (3, 7, 8 for special cases), year, month 01-12 or 20-99 (unknown month codes), département, commune, order, optional key.
    [GeneratedRegex(@"^[12378]\d{2}(0[1-9]|1[0-2]|[2-9]\d)(\d{2}|2[AB])\d{6}(\d{2})?$")]
    private static partial Regex NirPattern();

    // Anywhere in a text: 0X XX XX XX XX or +33 X XX XX XX XX (X ≠ 0), groups optionally separated by a space, dot or dash.
    [GeneratedRegex(@"(?<![0-9])(?:\+33|0033|0)[ .\-]?[1-9](?:[ .\-]?\d{2}){4}(?![0-9])")]
    private static partial Regex FrenchPhonePattern();
}
