using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Analytics.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Analytics.Api.Tests.Ingest;

public class UploadLimitApiFactory : WorkerApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ingest:MaxUploadBytes", "200000");
    }
}

[Collection(JobWorkersCollection.Name)]
public class IngestApiTests(UploadLimitApiFactory api) : IClassFixture<UploadLimitApiFactory>
{
    private static MultipartFormDataContent FileContent(byte[] bytes, string fileName)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", fileName);
        return content;
    }

    private static async Task<JsonElement> WaitForOutcomeAsync(HttpClient client, string progressUrl)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            // Throws on 404: a load must be visible (queued) from the moment it is accepted.
            var load = await client.GetFromJsonAsync<JsonElement>(progressUrl);
            var state = load.GetProperty("state").GetString();
            if (state is "loaded" or "failed" or "unchanged" || DateTime.UtcNow > deadline)
                return load;
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task a_steward_uploads_the_catalogue_and_follows_its_load_to_the_batch()
    {
        var steward = await api.ClientWithRolesAsync("steward");
        var bytes = await File.ReadAllBytesAsync(RepositoryFiles.PathOf("data/catalog/indicators.csv"));
        var response = await steward.PostAsync("/api/ingest/catalog?source=tests&licence=Licence%20Ouverte", FileContent(bytes, "indicators.csv"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();

        var load = await WaitForOutcomeAsync(steward, accepted.GetProperty("progress").GetString()!);
        Assert.Equal("loaded", load.GetProperty("state").GetString());
        var batchId = load.GetProperty("batchId").GetInt64();

        var batches = await steward.GetFromJsonAsync<JsonElement>("/api/ingest/batches");
        var batch = batches.EnumerateArray().Single(b => b.GetProperty("id").GetInt64() == batchId);
        Assert.Equal("indicators.csv", batch.GetProperty("fileName").GetString());
        Assert.Equal(22, batch.GetProperty("rowsLoaded").GetInt64());
        Assert.StartsWith("t-steward", batch.GetProperty("loadedBy").GetString());
        Assert.Equal(22L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM catalog.indicator"));

        var again = await steward.PostAsync("/api/ingest/catalog?source=tests&licence=Licence%20Ouverte", FileContent(bytes, "indicators-copy.csv"));
        var second = await WaitForOutcomeAsync(steward, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("progress").GetString()!);
        Assert.Equal("unchanged", second.GetProperty("state").GetString());
        Assert.Equal(batchId, second.GetProperty("batchId").GetInt64());
    }

    [Fact]
    public async Task an_uploaded_file_with_a_nir_is_refused_whole_and_the_reason_never_echoes_it()
    {
        var steward = await api.ClientWithRolesAsync("steward");
        const string nir = "1 84 12 76 451 089 46"; // key 46 = 97 − (1841276451089 mod 97)
        var csv = $"code;label_fr;label_en;unit;domain;method;licence;source\nx_one;Un;One;cases;human;count;LO;PMSI\nx_two;Deux;Two;cases;human;{nir};LO;PMSI\n";
        var response = await steward.PostAsync("/api/ingest/catalog", FileContent(Encoding.UTF8.GetBytes(csv), "with-nir.csv"));
        var load = await WaitForOutcomeAsync(steward, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("progress").GetString()!);
        Assert.Equal("failed", load.GetProperty("state").GetString());
        var message = load.GetProperty("message").GetString()!;
        Assert.Contains("line 3, column 'method'", message);
        Assert.Contains("NIR", message);
        Assert.DoesNotContain("451", message);
        var batches = await steward.GetStringAsync("/api/ingest/batches");
        Assert.DoesNotContain("451 089", batches);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM catalog.indicator WHERE code LIKE 'x\\_%'"));
    }

    [Theory]
    [InlineData("contact jean.dupont@example.fr.csv", "", "file name", "jean.dupont@example.fr")]
    [InlineData("indicators.csv", "?source=NIR%20185057800608491%20Dupont", "source", "185057800608491")]
    [InlineData("indicators.csv", "?licence=appeler%20le%2006%2012%2034%2056%2078", "licence", "06 12 34 56 78")]
    public async Task a_file_name_or_an_option_holding_a_direct_identifier_is_refused_with_400_before_anything_is_stored(
        string fileName, string query, string field, string identifier)
    {
        var steward = await api.ClientWithRolesAsync("steward");
        var bytes = await File.ReadAllBytesAsync(RepositoryFiles.PathOf("data/catalog/indicators.csv"));
        const string traces = """
            SELECT (SELECT count(*) FROM ingest.progress) + (SELECT count(*) FROM ingest.batch)
                 + (SELECT count(*) FROM audit.event e WHERE strpos(e::text, $1) > 0)
            """;
        var before = await api.Database.ScalarAsync<long>(traces, identifier);

        var response = await steward.PostAsync("/api/ingest/catalog" + query, FileContent(bytes, fileName));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(field, body);
        Assert.Contains("direct identifier", body);
        Assert.DoesNotContain(identifier, body);
        Assert.DoesNotContain(identifier.Replace(" ", ""), body);
        Assert.Equal(before, await api.Database.ScalarAsync<long>(traces, identifier));
    }

    [Fact]
    public async Task an_upload_over_the_size_limit_is_refused_with_413_and_leaves_no_file()
    {
        var steward = await api.ClientWithRolesAsync("admin");
        var response = await steward.PostAsync("/api/ingest/health", FileContent(new byte[300_000], "big.csv"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task an_unknown_kind_or_a_request_without_a_file_gets_a_problem_saying_what_to_send()
    {
        var steward = await api.ClientWithRolesAsync("steward");
        var unknown = await steward.PostAsync("/api/ingest/recipes", FileContent([1, 2, 3], "x.csv"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("health", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        var notMultipart = await steward.PostAsync("/api/ingest/health", new StringContent("a;b\n1;2", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notMultipart.StatusCode);
    }

    [Fact]
    public async Task analysts_and_planners_cannot_upload()
    {
        foreach (var role in new[] { "analyst", "planner", "reviewer", "auditor" })
        {
            var client = await api.ClientWithRolesAsync(role);
            var response = await client.PostAsync("/api/ingest/catalog", FileContent([1], "x.csv"));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }
}
