using Analytics.Jobs.Ingest;
using Analytics.Jobs.Tests.Ingest.Corpus;

namespace Analytics.Jobs.Tests.Ingest;

/// <summary>
/// Every input of the malformed corpus is refused with its own reason — the line, the column and
/// the words that tell a data steward what to fix — and leaves every data table exactly as it was.
/// </summary>
public class MalformedFileTests(ReferenceWorld world) : IClassFixture<ReferenceWorld>
{
    public static TheoryData<string> Names { get; } = new(MalformedCorpus.All.Select(i => i.Name));

    [Fact]
    public void the_corpus_holds_at_least_sixty_distinct_inputs()
    {
        Assert.True(MalformedCorpus.All.Count >= 60, $"only {MalformedCorpus.All.Count} inputs");
        Assert.Equal(MalformedCorpus.All.Count, MalformedCorpus.All.Select(i => i.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task a_malformed_input_is_refused_with_its_own_reason_and_changes_no_data(string name)
    {
        var input = MalformedCorpus.Get(name);
        var folder = Directory.CreateDirectory(world.Files.File($"case-{MalformedCorpus.All.ToList().IndexOf(input)}")).FullName;
        var path = Path.Combine(folder, input.FileName);
        input.Write(path);
        var before = await DataChecksums.TakeAsync(world.Db);
        var loadedBefore = await world.Db.ScalarAsync<long>("SELECT count(*) FROM ingest.batch WHERE status = 'loaded'");

        var result = await world.LoadAsync(input.Kind, path, input.Options);
        File.Delete(path);

        Assert.True(result.Outcome == IngestOutcome.Failed, $"expected a refusal, got: {result.Describe()}");
        var error = result.Error!;
        switch (input.Expected)
        {
            case RefusedWhole whole:
                var where = input.FileName + (whole.Line is null ? "" : $", line {whole.Line:N0}") + (whole.Field is null ? "" : $", column '{whole.Field}'") + ": ";
                Assert.StartsWith(where, error);
                Assert.Contains(whole.Reason, error);
                break;
            case TooManyRejected rejected:
                Assert.True(System.Text.RegularExpressions.Regex.IsMatch(error, @"records were rejected \(\d+[.,]\d\s?%\), more than the 5\s?% allowed"), error);
                var quarantined = await QuarantineAsync(result.BatchId!.Value);
                Assert.Equal(result.RowsQuarantined, quarantined.Count);
                foreach (var expected in rejected.Records)
                    Assert.True(quarantined.Any(q => q.Line == expected.Line && q.Field == expected.Field && q.Reason.Contains(expected.Reason, StringComparison.Ordinal)),
                        $"no quarantined record at line {expected.Line}, field {expected.Field} with '{expected.Reason}'; got:\n" +
                        string.Join("\n", quarantined.Select(q => $"  line {q.Line}, field {q.Field}: {q.Reason}")));
                break;
        }

        Assert.Equal(before, await DataChecksums.TakeAsync(world.Db));
        Assert.Equal(loadedBefore, await world.Db.ScalarAsync<long>("SELECT count(*) FROM ingest.batch WHERE status = 'loaded'"));
        Assert.Equal("failed", await world.Db.ScalarAsync<string>("SELECT status FROM ingest.batch WHERE id = $1", result.BatchId!.Value));
        Assert.Equal(error, await world.Db.ScalarAsync<string>("SELECT error FROM ingest.batch WHERE id = $1", result.BatchId!.Value));
        Assert.Equal(0L, await world.Db.ScalarAsync<long>("SELECT rows_loaded FROM ingest.batch WHERE id = $1", result.BatchId!.Value));

        if (input.Secret is { } secret)
        {
            var compact = secret.Replace(" ", "", StringComparison.Ordinal);
            Assert.DoesNotContain(secret, error);
            Assert.DoesNotContain(compact, error);
            Assert.All(result.QuarantineSample, q => Assert.DoesNotContain(compact, q.Field + q.Reason));
            Assert.Equal(0L, await world.Db.ScalarAsync<long>("""
                SELECT (SELECT count(*) FROM ingest.quarantine q WHERE strpos(q::text, $1) > 0 OR strpos(q::text, $2) > 0)
                     + (SELECT count(*) FROM ingest.batch b WHERE strpos(b::text, $1) > 0 OR strpos(b::text, $2) > 0)
                     + (SELECT count(*) FROM ingest.progress p WHERE strpos(p::text, $1) > 0 OR strpos(p::text, $2) > 0)
                """, secret, compact));
        }
    }

    private async Task<List<QuarantinedRecord>> QuarantineAsync(long batchId)
    {
        await using var command = world.Db.DataSource.CreateCommand("SELECT line, field, reason FROM ingest.quarantine WHERE batch_id = $1 ORDER BY line");
        command.Parameters.Add(new() { Value = batchId });
        await using var reader = await command.ExecuteReaderAsync();
        var records = new List<QuarantinedRecord>();
        while (await reader.ReadAsync())
            records.Add(new QuarantinedRecord(reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetString(2)));
        return records;
    }
}
