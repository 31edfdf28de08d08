using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace Analytics.Jobs.Database;

/// <summary>
/// Where the PostGIS database is. Bound from the <c>Database</c> configuration section
/// (environment variable <c>Database__ConnectionString</c>).
/// </summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Database";

    /// <summary>
    /// Npgsql connection string. No default: the project's scripts set it for the private
    /// cluster (<c>scripts/pg.sh env</c>); set it yourself to use an existing server.
    /// </summary>
    [Required(ErrorMessage = "Database:ConnectionString is not set. Run through scripts/run.sh, or set the environment variable Database__ConnectionString to an Npgsql connection string.")]
    public string ConnectionString { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
            yield break;
        string? error = null;
        try
        {
            _ = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (ArgumentException e)
        {
            error = $"Database:ConnectionString is not a valid Npgsql connection string ({e.Message}).";
        }
        if (error is not null)
            yield return new ValidationResult(error, [nameof(ConnectionString)]);
    }

    /// <summary>The connection string with its password removed, for logs and error messages.</summary>
    public static string Redact(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Password = null };
        return builder.ConnectionString;
    }
}
