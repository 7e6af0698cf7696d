using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.ChatCompletion;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Infrastructure.Ai.Offline;
using StudyGuru.Infrastructure.Ai.OpenAi;

namespace StudyGuru.Infrastructure.Ai;

public static class AiServiceCollectionExtensions
{
    /// <summary>The named HttpClient used for model calls (no HttpClient timeout: streams are long).</summary>
    public const string HttpClientName = "StudyGuru.Ai";

    /// <summary>
    /// Registers the token counter, the chat model chosen by <c>Ai:Provider</c> (the offline tutor by
    /// default, any OpenAI-compatible endpoint with <c>OpenAI</c>) and the title generator.
    /// <see cref="IChatModel.Kind"/> tells readiness checks and logs which model runs.
    /// </summary>
    /// <exception cref="InvalidOperationException">The AI configuration cannot work (unknown provider, missing endpoint or model).</exception>
    public static IServiceCollection AddAi(this IServiceCollection services, IConfiguration configuration)
    {
        // Read here only to choose what to register; the options are bound by AddSettings.
        var options = configuration.GetSection(AiOptions.Section).Get<AiOptions>() ?? new AiOptions();

        services.AddSingleton<ITokenCounter, O200kTokenCounter>();

        if (options.UsesOpenAI)
        {
            AddOpenAi(services, options);
        }
        else if (string.Equals(options.Provider, "Offline", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<IChatModel, OfflineTutorModel>();
            services.AddSingleton<ITitleGenerator, NoTitleGenerator>();
        }
        else
        {
            throw new InvalidOperationException(
                $"Ai:Provider '{options.Provider}' is not supported: use 'Offline' (default) or 'OpenAI'.");
        }

        return services;
    }

    private static void AddOpenAi(IServiceCollection services, AiOptions options)
    {
        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint)
            || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException(
                "Ai:Provider is OpenAI but Ai:Endpoint is not an absolute http(s) URL. Set it to the API base including /v1, e.g. http://localhost:11434/v1.");
        }

        if (string.IsNullOrWhiteSpace(options.Model))
        {
            throw new InvalidOperationException("Ai:Provider is OpenAI but Ai:Model is not set. Set it to the model name the endpoint serves.");
        }

        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(ModelHttpHandler.Create)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        var model = options.Model;
        services.AddSingleton<IChatCompletionService>(provider => OpenAiChatCompletionFactory.Create(
            endpoint,
            model,
            options.ApiKey,
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            provider.GetService<ILoggerFactory>()));
        services.AddSingleton<IChatModel, SemanticKernelChatModel>();
        services.AddSingleton<ITitleGenerator, SemanticKernelTitleGenerator>();
    }
}
