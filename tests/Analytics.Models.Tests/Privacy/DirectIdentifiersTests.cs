using Analytics.Models.Privacy;

namespace Analytics.Models.Tests.Privacy;

/// <summary>
/// What counts as a direct identifier in a column name or a value. NIR keys are computed by hand
/// here from the rule: key = 97 − (the 13-digit number mod 97), Corsica's 2A and 2B read as 19 and 18.
/// </summary>
public class DirectIdentifiersTests
{
    // The worked example of the French Wikipedia article "Numéro de sécurité sociale en France":
    // 2 55 08 14 168 025 → 2550814168025 mod 97 = 59, key 97 − 59 = 38.
    private const string WorkedExample = "2 55 08 14 168 025 38";

    [Theory]
    [InlineData(WorkedExample)]
    [InlineData("255081416802538")]
    [InlineData("2.55.08.14.168.025.38")]
    [InlineData("2-55-08-14-168-025-38")]
    // 2690549588157 mod 97 = 17, key 80.
    [InlineData("2 69 05 49 588 157 80")]
    // Corsica: 1 85 05 2A 012 345 is keyed as 1850519012345; mod 97 = 18, key 79.
    [InlineData("1 85 05 2A 012 345 79")]
    // 1 85 05 2B 012 345 is keyed as 1850518012345; mod 97 = 88, key 09.
    [InlineData("1 85 05 2B 012 345 09")]
    // Without its key a 13-character NIR has nothing to check and is taken as one.
    [InlineData("2550814168025")]
    public void a_NIR_with_a_valid_key_is_a_direct_identifier(string value)
    {
        Assert.True(DirectIdentifiers.IsNir(value.Replace(" ", "").Replace(".", "").Replace("-", "")));
        Assert.Equal("a NIR (social-security number)", DirectIdentifiers.DescribeValue(value));
    }

    [Theory]
    [InlineData("255081416802539")]  // the worked example with its key off by one
    [InlineData("185052A01234552")]  // 2A keyed as if it were 20 (1850520012345 mod 97 = 45, key 52): not the rule
    [InlineData("185052A01234509")]  // the key of 2B on a 2A number
    [InlineData("455081416802538")]  // no sex digit 4
    [InlineData("255131416802538")]  // no month 13
    public void a_number_whose_key_or_fields_do_not_check_is_not_a_NIR(string value)
    {
        Assert.False(DirectIdentifiers.IsNir(value));
        Assert.Null(DirectIdentifiers.DescribeValue(value));
    }

    [Theory]
    [InlineData("jeanne.martin@example.fr")]
    [InlineData(" j.martin+ars@sante.gouv.fr ")]
    public void an_e_mail_address_is_a_direct_identifier(string value) =>
        Assert.Equal("an e-mail address", DirectIdentifiers.DescribeValue(value));

    [Theory]
    [InlineData("06 12 34 56 78")]
    [InlineData("0612345678")]
    [InlineData("01.23.45.67.89")]
    [InlineData("+33 6 12 34 56 78")]
    [InlineData("0033 2 99 12 34 56")]
    public void a_French_phone_number_is_a_direct_identifier(string value) =>
        Assert.Equal("a phone number", DirectIdentifiers.DescribeValue(value));

    [Theory]
    [InlineData("NIR 255081416802538 Dupont", "a NIR (social-security number)")]
    [InlineData("Dupont 2 55 08 14 168 025 38", "a NIR (social-security number)")]
    [InlineData("patient 1 85 05 2A 012 345 79, vu le 3 mars", "a NIR (social-security number)")]
    [InlineData("contact jean.dupont@example.fr pour la saisie", "an e-mail address")]
    [InlineData("Rappeler le 06 12 34 56 78 avant midi", "a phone number")]
    [InlineData("tél.+33 6 12 34 56 78", "a phone number")]
    public void an_identifier_inside_free_text_is_found(string value, string kind) =>
        Assert.Equal(kind, DirectIdentifiers.DescribeValue(value));

    [Theory]
    // Zero-width space, zero-width joiner, word joiner, byte-order mark and soft hyphen inside the identifier.
    [InlineData("NIR 2550814\u200B168025\u200D38")]
    [InlineData("2\u2060550814168025\uFEFF38 Dupont")]
    [InlineData("25508141\u00AD68025")]
    // Full-width digits (NFKC makes them ASCII).
    [InlineData("ＮＩＲ ２５５０８１４１６８０２５３８")]
    public void invisible_characters_and_full_width_digits_do_not_hide_a_NIR(string value) =>
        Assert.Equal("a NIR (social-security number)", DirectIdentifiers.DescribeValue(value));

    [Fact]
    public void an_e_mail_split_by_a_zero_width_space_is_still_found() =>
        Assert.Equal("an e-mail address", DirectIdentifiers.DescribeValue("jean.dupont@\u200Bexample.fr"));

    [Theory]
    [InlineData("Commune 22001 (Saint-Brieuc), EPCI 200069409, 12 345 habitants")]
    [InlineData("lot 255081416802539 du 2022-06-15")]   // 15 digits whose key does not check
    [InlineData("IRIS 751010101 ; 2022-06-15 ; 0,068")]
    [InlineData("Ajaccio 2A004 et Bastia 2B033")]
    public void free_text_with_codes_dates_and_counts_holds_no_identifier(string value) =>
        Assert.Null(DirectIdentifiers.DescribeValue(value));

    [Theory]
    [InlineData("22001")]        // commune code
    [InlineData("2A004")]        // Corsican commune code
    [InlineData("240220001")]    // EPCI SIREN
    [InlineData("J45-J46")]      // CIM-10 range
    [InlineData("2022-06")]
    [InlineData("0,068")]
    [InlineData("1273")]
    [InlineData("0012345678")]   // 00 is no French phone prefix
    [InlineData("not @ an address")]
    [InlineData("Saint-Brieuc")]
    public void codes_counts_and_names_of_places_are_not_identifiers(string value) =>
        Assert.Null(DirectIdentifiers.DescribeValue(value));

    [Theory]
    [InlineData("Prénom", "a person's first name")]
    [InlineData("Nom", "a person's name")]
    [InlineData("NOM_PATIENT", "a person's name")]
    [InlineData("Nom de naissance", "a person's name")]
    [InlineData("Date de naissance", "a birth date")]
    [InlineData("date_naissance", "a birth date")]
    [InlineData("NIR", "a NIR (social-security number)")]
    [InlineData("Numéro de sécurité sociale", "a NIR (social-security number)")]
    [InlineData("E-mail", "an e-mail address")]
    [InlineData("Adresse e-mail", "an e-mail address")]
    [InlineData("Courriel", "an e-mail address")]
    [InlineData("Téléphone", "a phone number")]
    [InlineData("Numéro de téléphone", "a phone number")]
    [InlineData("Adresse", "a postal address")]
    public void columns_named_for_a_direct_identifier_are_identifying(string column, string kind) =>
        Assert.Equal(kind, DirectIdentifiers.DescribeColumn(column));

    [Theory]
    [InlineData("nom_commune")]
    [InlineData("code_insee")]
    [InlineData("population")]
    [InlineData("commune_name")]
    [InlineData("Code postal")]
    [InlineData("libellé")]
    [InlineData("age_band")]
    [InlineData("sexe")]
    [InlineData("annee")]
    [InlineData("nb_cas")]
    public void columns_about_places_and_aggregates_are_not_identifying(string column) =>
        Assert.Null(DirectIdentifiers.DescribeColumn(column));
}
