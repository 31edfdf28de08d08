using Analytics.Models.Fairness;
using Analytics.Models.Review;
using Analytics.Models.Text;

namespace Analytics.Models.Tests.Review;

/// <summary>Free texts are judged by what a reader sees: invisible and whitespace characters never make a justification.</summary>
public class ReviewTextTests
{
    private static readonly ReleaseFacts Pending = new(ReleaseState.PendingReview, "alice", Verdict.Pass, OpenReviewItems: 0);

    public static TheoryData<string> InvisibleTexts => new()
    {
        new string('\u200B', 20),                 // zero-width spaces: the attack
        new string('\u00A0', 25),                 // no-break spaces
        string.Concat(Enumerable.Repeat("\u200C\u200D\u2060\uFEFF\u00AD", 6)), // joiners, word joiner, BOM, soft hyphen
        string.Concat(Enumerable.Repeat("\u2028\u2029\u3000\t\u0085", 5)),      // line and paragraph separators, ideographic space, tab, NEL
    };

    [Theory]
    [MemberData(nameof(InvisibleTexts))]
    public void an_approval_justified_by_invisible_characters_is_refused(string justification)
    {
        Assert.Equal(["justification"], ReviewRules.CheckApproval(Pending, new Decision("bob", justification)).Select(r => r.Code));
        Assert.Equal(["reason"], ReviewRules.CheckRejection(Pending, new Decision("bob", justification)).Select(r => r.Code));
        Assert.Equal(["reason"], ReviewRules.CheckExclusion(Pending, justification).Select(r => r.Code));
        Assert.Equal(["reason"], ReviewRules.CheckAnswer(accepted: false, justification).Select(r => r.Code));
    }

    [Fact]
    public void a_written_justification_is_accepted_even_padded_with_invisible_characters() =>
        Assert.Empty(ReviewRules.CheckApproval(Pending, new Decision("bob", "\u200BCoefficients plausibles, carte cohérente.\u200B")));

    [Fact]
    public void twenty_visible_characters_are_needed_spaces_not_counted()
    {
        Assert.NotEmpty(ReviewRules.CheckApproval(Pending, new Decision("bob", "a b c d e f g h i j k l m n o p q r s")));  // 19 letters
        Assert.Empty(ReviewRules.CheckApproval(Pending, new Decision("bob", "a b c d e f g h i j k l m n o p q r s t"))); // 20 letters
    }

    [Fact]
    public void visible_text_keeps_letters_punctuation_and_symbols_and_drops_the_rest()
    {
        Assert.Equal("Vu,ok!€", FreeText.Visible("\u200B V\u00A0u,\tok\u2060!\uFEFF €\r\n"));
        Assert.False(FreeText.HasContent(new string('\u200B', 100)));
        Assert.False(FreeText.HasContent(null));
        Assert.True(FreeText.HasContent("\u200Bé"));
        Assert.False(FreeText.HasContent("abc", 4));
        Assert.True(FreeText.HasContent("a b c d", 4));
    }
}
