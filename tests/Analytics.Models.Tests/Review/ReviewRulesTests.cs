using Analytics.Models.Fairness;
using Analytics.Models.Review;

namespace Analytics.Models.Tests.Review;

public class ReviewRulesTests
{
    private const string Justification = "Coefficients plausibles, carte cohérente avec la surveillance.";
    private static readonly ReleaseFacts Pending = new(ReleaseState.PendingReview, "alice", Verdict.Pass, OpenReviewItems: 0);

    private static IEnumerable<string> Codes(IEnumerable<Refusal> refusals) => refusals.Select(r => r.Code);

    [Fact]
    public void a_reviewer_other_than_the_launcher_approves_a_clean_release_with_a_justification() =>
        Assert.Empty(ReviewRules.CheckApproval(Pending, new Decision("bob", Justification)));

    [Fact]
    public void the_launcher_cannot_approve_their_own_run_whatever_the_case_of_their_name() =>
        Assert.Equal(["four_eyes"], Codes(ReviewRules.CheckApproval(Pending, new Decision("Alice", Justification))));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ok")]
    [InlineData("   vu, rien à signaler   ")] // 19 characters once trimmed
    public void approval_needs_a_written_justification(string? justification) =>
        Assert.Equal(["justification"], Codes(ReviewRules.CheckApproval(Pending, new Decision("bob", justification))));

    [Theory]
    [InlineData(Verdict.Fail)]
    [InlineData(Verdict.InsufficientEvidence)]
    public void a_failed_or_inconclusive_fairness_audit_needs_an_explicit_acknowledgement(Verdict verdict)
    {
        var release = Pending with { Fairness = verdict };

        Assert.Equal(["acknowledgement"], Codes(ReviewRules.CheckApproval(release, new Decision("bob", Justification))));
        Assert.Empty(ReviewRules.CheckApproval(release, new Decision("bob", Justification,
            "Sous-déclaration connue dans les communes rurales défavorisées : liste relue commune par commune.")));
    }

    [Fact]
    public void a_warning_needs_no_acknowledgement() =>
        Assert.Empty(ReviewRules.CheckApproval(Pending with { Fairness = Verdict.Warn }, new Decision("bob", Justification)));

    [Fact]
    public void unanswered_analyst_comments_block_approval_but_not_rejection()
    {
        var release = Pending with { OpenReviewItems = 2 };

        var refusal = Assert.Single(ReviewRules.CheckApproval(release, new Decision("bob", Justification)));
        Assert.Equal("open_review_items", refusal.Code);
        Assert.Contains("2 commentaire", refusal.Fr);
        Assert.Empty(ReviewRules.CheckRejection(release, new Decision("bob", "Données de 2023 incomplètes pour le Finistère.")));
    }

    [Fact]
    public void only_a_pending_release_can_be_approved_or_rejected_and_only_an_approved_one_revoked()
    {
        foreach (var state in Enum.GetValues<ReleaseState>().Where(s => s != ReleaseState.PendingReview))
        {
            Assert.Contains("not_pending", Codes(ReviewRules.CheckApproval(Pending with { State = state }, new Decision("bob", Justification))));
            Assert.Contains("not_pending", Codes(ReviewRules.CheckRejection(Pending with { State = state }, new Decision("bob", Justification))));
        }
        foreach (var state in Enum.GetValues<ReleaseState>().Where(s => s != ReleaseState.Approved))
            Assert.Contains("not_published", Codes(ReviewRules.CheckRevocation(Pending with { State = state }, new Decision("bob", Justification))));
        Assert.Empty(ReviewRules.CheckRevocation(Pending with { State = ReleaseState.Approved }, new Decision("alice", "Erreur de géocodage découverte après publication.")));
    }

    [Fact]
    public void revoking_and_rejecting_need_a_reason()
    {
        Assert.Equal(["reason"], Codes(ReviewRules.CheckRevocation(Pending with { State = ReleaseState.Approved }, new Decision("bob", null))));
        Assert.Equal(["reason"], Codes(ReviewRules.CheckRejection(Pending, new Decision("bob", "non"))));
    }

    [Fact]
    public void declining_an_analyst_comment_needs_a_reason_accepting_does_not()
    {
        Assert.Empty(ReviewRules.CheckAnswer(accepted: true, reason: null));
        Assert.Equal(["reason"], Codes(ReviewRules.CheckAnswer(accepted: false, reason: "non")));
        Assert.Empty(ReviewRules.CheckAnswer(accepted: false, reason: "La commune a fusionné en 2024, le chiffre est correct."));
    }

    [Fact]
    public void excluding_a_territory_needs_a_reason_and_a_pending_release()
    {
        Assert.Equal(["reason"], Codes(ReviewRules.CheckExclusion(Pending, "trop petit")));
        Assert.Equal(["not_pending"], Codes(ReviewRules.CheckExclusion(Pending with { State = ReleaseState.Approved }, "Zone industrielle sans résidents permanents.")));
    }
}
