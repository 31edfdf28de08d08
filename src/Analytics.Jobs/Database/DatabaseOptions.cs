using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace Analytics.Jobs.Database;

/// <summary>
/// Where the PostGIS database is, and as whom to connect. Bound from the <c>Database</c>
/// configuration section (environment variables <c>Database__ConnectionString</c>,
/// <c>Database__OwnerConnectionString</c>).
/// </summary>
/// <remarks>
/// Two roles (docs/operations.md, "Database"): the owner of the tables runs the migrations; the
/// application connects as a role without DDL, granted by the migrator what it needs. With only
/// <see cref="ConnectionString"/> set, one role does both — and could switch the audit log's triggers off.
/// </remarks>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Database";

    /// <summary>
    /// Npgsql connection string. No default: the project's scripts set it for the private
    /// cluster (<c>scripts/pg.sh env</c>); set it yourself to use an existing server.
    /// </summary>
    [Required(ErrorMessage = "Database:ConnectionString is not set. Run through scripts/run.sh, or set the environment variable Database__ConnectionString to an Npgsql connection string.")]
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// Npgsql connection string of the role that owns the schemas, for migrations only; the
    /// migrator grants the role of <see cref="ConnectionString"/> what the application needs.
    /// Unset: migrations run on <see cref="ConnectionString"/>.
    /// </summary>
    public string? OwnerConnectionString { get; set; }

    /// <summary>
    /// Longest a statement of the application may run on the server (PostgreSQL's <c>statement_timeout</c>, set on
    /// every connection of the application's data source), default 30 minutes. Ordinary statements end sooner, at
    /// the driver's command timeout (30 s); the few that may run for minutes at national size (the health strata's
    /// sorted read, the area weights, the neighbour graph, the tiles' geometries) lift the driver's timeout and are
    /// bounded by this one.
    /// </summary>
    [Range(1, 86_400, ErrorMessage = "Database:StatementTimeoutSeconds must be between 1 and 86400.")]
    public int StatementTimeoutSeconds { get; set; } = 1_800;

    /// <summary>Whether migrations run as another role than the application's.</summary>
    public bool HasOwner => !string.IsNullOrWhiteSpace(OwnerConnectionString);

    /// <summary>The role the application connects as, to which the migrator grants its rights; null when no owner role is configured.</summary>
    public string? ApplicationRole => HasOwner ? new NpgsqlConnectionStringBuilder(ConnectionString).Username : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
            yield break;
        var error = ParseError(nameof(ConnectionString), ConnectionString);
        if (error is not null)
            yield return new ValidationResult(error, [nameof(ConnectionString)]);
        if (!HasOwner)
            yield break;
        error = ParseError(nameof(OwnerConnectionString), OwnerConnectionString!);
        if (error is null && string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(ConnectionString).Username))
            error = "Database:ConnectionString names no Username, so the migrator cannot tell which role to grant the application's rights to.";
        if (error is not null)
            yield return new ValidationResult(error, [nameof(OwnerConnectionString)]);
    }

    private static string? ParseError(string name, string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"Database:{name} is not a valid Npgsql connection string ({e.Message}).";
        }
    }

    /// <summary>The connection string with its password removed, for logs and error messages.</summary>
    public static string Redact(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Password = null };
        return builder.ConnectionString;
    }
}
