using Analytics.Api.Access;
using Analytics.Api.Platform;
using Analytics.Jobs.Ingest;
using Analytics.Models.Access;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Analytics.Api.Ingest;

/// <summary>Uploading files for loading, following a load, and reading batches and their quarantined rows.</summary>
public static class IngestApi
{
    public sealed record UploadAccepted(Guid LoadId, string Progress);

    /// <summary>How to read the uploaded file; the same options as the command line's.</summary>
    public sealed record UploadQuery(string? Source, string? Licence, string? Level, int? Vintage, string? CodeField, string? NameField,
        string? ParentField, string? ParentLevel, int? Srid, string? Period, string? Layer, string? LayerName, string? Zoning, double? CellSize, double? MaxRejectedShare);

    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var ingest = app.MapGroup("/api/ingest").WithTags("Ingest");
        ingest.MapPost("/{kind}", UploadAsync).WithName("UploadFile")
            .WithSummary("Upload one file (multipart/form-data, one file part) to be loaded; answers at once with the load to follow.")
            .AllowRoles(Role.Steward, Role.Admin);
        ingest.MapGet("/loads/{loadId:guid}", GetLoadAsync).WithName("GetLoad")
            .WithSummary("Progress and outcome of one load.").AllowRoles(Role.Steward, Role.Admin);
        ingest.MapGet("/batches", ListBatchesAsync).WithName("ListBatches")
            .WithSummary("Loaded and refused batches, newest first.").AllowRoles(Role.Steward, Role.Admin, Role.Auditor);
        ingest.MapGet("/batches/{id:long}/quarantine", ListQuarantineAsync).WithName("ListQuarantine")
            .WithSummary("The records a batch refused, with line, field and reason.").AllowRoles(Role.Steward, Role.Admin, Role.Auditor);
        return app;
    }

    private static async Task<Results<Accepted<UploadAccepted>, ProblemHttpResult>> UploadAsync(
        string kind, [AsParameters] UploadQuery query, HttpContext context, IOptions<UploadOptions> options, IngestService ingest, IBackgroundJobClient jobs)
    {
        if (!IngestKinds.TryParse(kind, out var ingestKind))
            return ApiProblems.Create(StatusCodes.Status404NotFound, $"'{kind}' is not a kind of file (expected {string.Join(", ", IngestKinds.Names)}).");
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType) || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return ApiProblems.Create(StatusCodes.Status415UnsupportedMediaType, "Send the file as multipart/form-data.");
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "The multipart request has no boundary.");

        var limit = options.Value.MaxUploadBytes;
        // Lift the server's default body limit (30 MB) for this request only; the loop below enforces ours.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = limit + 1024 * 1024;
        var reader = new MultipartReader(boundary, context.Request.Body);
        MultipartSection? section;
        while ((section = await reader.ReadNextSectionAsync(context.RequestAborted)) is not null)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                continue;
            var fileName = Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileName.HasValue ? disposition.FileName : disposition.FileNameStar).Value ?? "upload");
            try
            {
                IngestRequest.ScreenForIdentifiers(fileName, OptionsFrom(query));
            }
            catch (IngestException e)
            {
                // Refused before a byte is written: the name and the options go nowhere, the answer does not repeat them.
                return ApiProblems.Create(StatusCodes.Status400BadRequest, $"Identifiant direct refusé ({e.Field}). / {e.Message}");
            }
            Directory.CreateDirectory(options.Value.UploadFolder);
            var loadId = Guid.NewGuid();
            var path = Path.Combine(options.Value.UploadFolder, $"{loadId:N}.upload");
            long written = 0;
            try
            {
                await using var target = File.Create(path);
                // Streamed to disk with the size checked as it comes: an oversized upload never sits in memory.
                var buffer = new byte[81920];
                int read;
                while ((read = await section.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
                {
                    written += read;
                    if (written > limit)
                    {
                        target.Close();
                        File.Delete(path);
                        return ApiProblems.Create(StatusCodes.Status413PayloadTooLarge, $"The file is larger than the {limit:N0} bytes accepted.");
                    }
                    await target.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                }
            }
            catch
            {
                // An aborted or failed upload leaves no partial file behind.
                File.Delete(path);
                throw;
            }
            var request = new IngestRequest(ingestKind, path, fileName, AccessClaims.UserName(context.User), OptionsFrom(query)) { LoadId = loadId };
            try
            {
                await ingest.QueueAsync(request, context.RequestAborted);
                jobs.Enqueue<IngestJob>(job => job.RunAsync(request, CancellationToken.None));
            }
            catch
            {
                File.Delete(path);
                throw;
            }
            return TypedResults.Accepted($"/api/ingest/loads/{loadId}", new UploadAccepted(loadId, $"/api/ingest/loads/{loadId}"));
        }
        return ApiProblems.Create(StatusCodes.Status400BadRequest, "The request holds no file part.");
    }

    private static IngestOptions OptionsFrom(UploadQuery q) => new()
    {
        Source = q.Source, Licence = q.Licence, Level = q.Level, Vintage = q.Vintage, CodeField = q.CodeField, NameField = q.NameField,
        ParentField = q.ParentField, ParentLevel = q.ParentLevel, Srid = q.Srid, Period = q.Period, Layer = q.Layer, LayerName = q.LayerName, Zoning = q.Zoning,
        CellSize = q.CellSize, MaxRejectedShare = q.MaxRejectedShare ?? IngestOptions.Default.MaxRejectedShare,
    };

    private static async Task<Results<Ok<LoadProgress>, NotFound>> GetLoadAsync(Guid loadId, LoadHistory history, CancellationToken ct) =>
        await history.ProgressAsync(loadId, ct) is { } progress ? TypedResults.Ok(progress) : TypedResults.NotFound();

    private static async Task<Ok<List<Batch>>> ListBatchesAsync(LoadHistory history, CancellationToken ct, int limit = 100) =>
        TypedResults.Ok(await history.BatchesAsync(limit, ct));

    private static async Task<Ok<List<Quarantined>>> ListQuarantineAsync(long id, LoadHistory history, CancellationToken ct) =>
        TypedResults.Ok(await history.QuarantineAsync(id, ct));
}
