using System.Text;
using Analytics.Models.Access;
using Microsoft.Playwright;

namespace Analytics.Api.Tests.Browser;

/// <summary>The API on a real port with a job worker, so that an upload is loaded while the browser follows it.</summary>
public sealed class WorkingKestrelApi : KestrelApiFactory
{
    protected override bool RunsJobs => true;
}

/// <summary>
/// The steward's path in Debian's Chromium: the data screen is the steward's first screen; a bad file is uploaded,
/// its load is followed to its end, and the refusal names the file, the line and the field; nothing of it is written;
/// a good file then loads and shows in the batches; a training run and a pipeline run launched from the screen are followed
/// to their failures, which say why. An analyst has no data screen.
/// </summary>
public class DataScreenTests(WorkingKestrelApi api) : BrowserTests, IClassFixture<WorkingKestrelApi>
{
    private static FilePayload Csv(string name, string text) => new() { Name = name, MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(text) };

    [Fact]
    public async Task a_steward_uploads_a_bad_file_and_reads_the_named_error_with_its_line_then_a_good_one_loads()
    {
        var page = await SignInAsync(api, await api.NewAccountAsync([Role.Steward]));
        await page.WaitForSelectorAsync("#data:not([hidden]) #upload-kind option[value='catalog']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });
        Assert.Equal("page", await page.GetAttributeAsync("#navigation a[href='#/donnees']", "aria-current"));
        Assert.Equal(0, await page.Locator("#navigation a[href='#/carte']").CountAsync());
        Assert.True(await page.IsHiddenAsync("#jobs-link"), "the job dashboard is the administrator's");
        await AssertAccessibleAsync(page, "data screen");

        await page.SelectOptionAsync("#upload-kind", "catalog");
        await page.FillAsync("#upload-source", "tests");
        await page.FillAsync("#upload-licence", "Licence Ouverte");
        await page.SetInputFilesAsync("#upload-file", Csv("indicateurs-errone.csv",
            "code;label_fr;label_en;unit;domain;method;licence;source\nx_one;Un;One;cases;human;count;LO;PMSI\nx_two;Deux;Two;cases;human;1 84 12 76 451 089 46;LO;PMSI\n"));
        await page.ClickAsync("#upload-submit");
        await page.WaitForSelectorAsync("#upload-outcome.error");
        var outcome = await page.InnerTextAsync("#upload-outcome");
        Assert.Contains("indicateurs-errone.csv", outcome);
        Assert.Contains("line 3, column 'method'", outcome);
        Assert.Contains("refusé", outcome);
        Assert.DoesNotContain("451", outcome);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM catalog.indicator WHERE code LIKE 'x\\_%'"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("data-screen.png"), FullPage = true });

        await page.SetInputFilesAsync("#upload-file", Csv("indicateurs.csv", await File.ReadAllTextAsync(Analytics.Testing.RepositoryFiles.PathOf("data/catalog/indicators.csv"))));
        await page.ClickAsync("#upload-submit");
        await page.WaitForSelectorAsync("#upload-outcome.ok");
        Assert.Contains("chargé", await page.InnerTextAsync("#upload-outcome"));
        Assert.Equal(1.0, await page.EvaluateAsync<double>("() => document.querySelector('#upload-progress').position"));
        await page.WaitForSelectorAsync("#batches-table tbody tr td:has-text('indicateurs.csv')");
        // Kinds and states in the steward's words, not the codes of the API.
        var loaded = await page.InnerTextAsync("#batches-table tbody tr:has(td:has-text('indicateurs.csv'))");
        Assert.Contains("Catalogue des indicateurs", loaded);
        Assert.Contains("chargé", loaded);
        Assert.Equal("Catalogue des indicateurs", (await page.InnerTextAsync("#upload-kind option[value='catalog']")).Trim());

        // A training run launched before any features build is followed to its failure, which says why.
        await page.ClickAsync("#training button");
        await page.WaitForSelectorAsync("#training-outcome.error", new PageWaitForSelectorOptions { Timeout = 120_000 });
        Assert.Equal("Échec de l'entraînement : no health batch is loaded.", await page.InnerTextAsync("#training-outcome"));
        Assert.True(await page.IsVisibleAsync("#training-progress"));

        // The pipeline launched from here: no drop folder is configured, so ingest is skipped; the features stage then
        // fails for want of health figures, and the run says so, stage by stage.
        Assert.Contains("Aucune exécution", await page.InnerTextAsync("#pipeline-runs"));
        await page.ClickAsync("#pipeline-launch");
        await page.WaitForSelectorAsync("#pipeline-table li[data-status='failed']", new PageWaitForSelectorOptions { Timeout = 120_000 });
        var run = await api.Database.ScalarAsync<long>("SELECT max(id) FROM ops.pipeline_run");
        Assert.Equal("failed", await api.Database.ScalarAsync<string>($"SELECT status FROM ops.pipeline_run WHERE id = {run}"));
        var stages = await page.Locator("#pipeline-table li").AllInnerTextsAsync();
        Assert.StartsWith("dépôt : sautée (entrées inchangées)", stages[0]);
        Assert.Contains("no drop manifest configured", stages[0]);
        Assert.StartsWith("indicateurs : échouée", stages[1]);
        Assert.Equal(2, stages.Count);   // the chain stopped: no training stage
        Assert.Contains($"{run}", await page.InnerTextAsync("#pipeline-outcome"));
        await AssertAccessibleAsync(page, "data screen after loads and a training launch");
        AssertOnlyOwnOrigin(api);
    }

    [Fact]
    public async Task an_analyst_has_no_data_screen_even_by_its_address()
    {
        var page = await SignInAsync(api, await api.NewAccountAsync([Role.Analyst]), "#/donnees");
        await page.WaitForSelectorAsync("#map-explorer:not([hidden])");
        Assert.True(await page.IsHiddenAsync("#data"));
        Assert.Equal(0, await page.Locator("#navigation a[href='#/donnees']").CountAsync());
    }
}
