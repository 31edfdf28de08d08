namespace Analytics.Jobs.Accounts;

/// <summary>A person who can sign in, with the roles they hold. Never carries the password hash out of the store.</summary>
public sealed record Account(long Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, bool IsDisabled);

/// <summary>A personal API token as listed to its owner: never the secret, only its prefix.</summary>
public sealed record ApiTokenInfo(long Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary>A token just issued: the only moment its secret exists outside the caller's hands.</summary>
public sealed record IssuedApiToken(ApiTokenInfo Info, string Secret);
