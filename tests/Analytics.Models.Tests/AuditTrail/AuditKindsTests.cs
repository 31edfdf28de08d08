using Analytics.Models.AuditTrail;

namespace Analytics.Models.Tests.AuditTrail;

public class AuditKindsTests
{
    [Fact]
    public void every_kind_the_product_records_has_its_own_words_in_french_and_english()
    {
        Assert.Contains(AuditKinds.ReviewApprove, AuditKinds.All);
        var labels = AuditKinds.All.Select(AuditKinds.Label).ToList();

        Assert.All(labels, l => Assert.False(string.IsNullOrWhiteSpace(l.Fr) || string.IsNullOrWhiteSpace(l.En)));
        Assert.Equal(labels.Count, labels.Select(l => l.Fr).Distinct().Count());
        Assert.Equal(labels.Count, labels.Select(l => l.En).Distinct().Count());
        Assert.Equal("Publication approuvée", AuditKinds.Label(AuditKinds.ReviewApprove).Fr);
        Assert.Throws<KeyNotFoundException>(() => AuditKinds.Label("review.unknown"));
    }
}
