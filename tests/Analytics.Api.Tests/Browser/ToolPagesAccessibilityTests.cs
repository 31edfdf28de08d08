using Analytics.Models.Access;

namespace Analytics.Api.Tests.Browser;

/// <summary>
/// The bundled tools an administrator opens from the app — Swagger UI and the job dashboard — after the product's
/// configuration and style sheet: axe-core finds nothing serious or critical (what stays below that is in
/// docs/accessibility.md).
/// </summary>
public class ToolPagesAccessibilityTests(KestrelApiFactory api) : BrowserTests, IClassFixture<KestrelApiFactory>
{
    [Fact]
    public async Task swagger_ui_and_the_job_dashboard_have_no_serious_accessibility_violation()
    {
        var admin = await SignInAsync(api, await api.NewAccountAsync([Role.Admin]));
        await admin.GotoAsync(api.Address + "/swagger/index.html");
        await admin.WaitForSelectorAsync(".opblock-summary-path");
        await AssertAccessibleAsync(admin, "Swagger UI");

        await admin.GotoAsync(api.Address + "/hangfire");
        await admin.WaitForSelectorAsync(".page-header");
        await AssertAccessibleAsync(admin, "job dashboard");
        AssertOnlyOwnOrigin(api);
    }
}
