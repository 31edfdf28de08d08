using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Jobs.Accounts;

/// <summary>Registers the account and session stores and their validated options, for the API and the command line alike.</summary>
public static class AccountsSetup
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountOptions>()
            .Bind(configuration.GetSection(AccountOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AccountRecords>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<SecondFactors>();
        services.AddSingleton<ApiTokens>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<DataProtectionKeys>();
        return services;
    }
}
