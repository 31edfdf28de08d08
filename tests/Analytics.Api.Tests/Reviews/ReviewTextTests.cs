using System.Net;
using System.Net.Http.Json;
using Analytics.Models.Access;

namespace Analytics.Api.Tests.Reviews;

/// <summary>
/// Free texts over HTTP are judged by their visible characters (issue 11, finding 11): a comment of
/// zero-width spaces is refused with 400 before anything is written. The rules' side — an approval
/// justified by 20 × U+200B — is in Analytics.Models.Tests (Review/ReviewTextTests).
/// </summary>
public class ReviewTextTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task a_comment_of_invisible_characters_is_refused_with_400_and_nothing_is_written()
    {
        var analyst = await api.ClientWithRolesAsync(Role.Analyst);
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM review.item");
        var invisible = await analyst.PostAsJsonAsync("/api/models/asthma_commune/comments", new { territory = "22001", comment = new string('\u200B', 20) });
        Assert.Equal(HttpStatusCode.BadRequest, invisible.StatusCode);
        Assert.Contains("au moins un visible", await invisible.Content.ReadAsStringAsync());
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM review.item"));

        // A written comment gets past the text rule (this database has no territory 22001: 404).
        var written = await analyst.PostAsJsonAsync("/api/models/asthma_commune/comments", new { territory = "22001", comment = "\u200BCentre de santé ouvert en 2023." });
        Assert.Equal(HttpStatusCode.NotFound, written.StatusCode);
    }
}
