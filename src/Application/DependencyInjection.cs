using System.Collections.Concurrent;
using System.Text;
using FluentValidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Common.Observability;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.Context;
using StudyGuru.Application.Conversations.Generations;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.Application;

public static class DependencyInjection
{
    /// <summary>The application's rules and generation machinery. The mediator itself is composed by the WebApi
    /// (its source generator lives in the outermost project).</summary>
    public static IServiceCollection AddApplication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings(configuration);

        // FluentValidation asks for a rule's display name each time the rule runs, not only when it fails: the names
        // are few and fixed, so each is converted once (docs/performance.md, "Start and settlement allocations").
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : SnakeCaseNames.GetOrAdd(member.Name, SnakeCase);
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Singleton);

        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<StreamMetrics>();
        services.AddSingleton<GenerationTracing>();
        services.AddSingleton<RunningGenerations>();
        services.AddSingleton<GenerationRunner>();
        services.AddSingleton<GenerationHost>();
        services.AddHostedService(sp => sp.GetRequiredService<GenerationHost>());
        services.AddSingleton<GenerationReader>();
        services.AddSingleton<ShutdownSignal>();
        services.AddSingleton<IdempotencyKeyTurns>();
        services.AddSingleton<Points.KnownBalances>();
        services.AddScoped<GenerationReplay>();
        services.AddScoped<Chat.Common.ChatThreads>();
        services.AddSingleton<IGenerationCanceller, GenerationCanceller>();
        services.AddScoped<ConversationContextBuilder>();
        services.AddScoped<ConversationAccess>();
        services.AddScoped<IdempotentRetries>();
        services.AddScoped<StartAdmission>();
        services.AddScoped<GenerationStarter>();
        services.AddScoped<LeaseSweeper>();
        return services;
    }

    private static readonly ConcurrentDictionary<string, string> SnakeCaseNames = new(StringComparer.Ordinal);

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) builder.Append('_');
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }
}
