using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAI;

namespace StudyGuru.Infrastructure.Ai.OpenAi;

/// <summary>Builds Semantic Kernel's OpenAI chat service on an HttpClient from IHttpClientFactory.</summary>
internal static class OpenAiChatCompletionFactory
{
    /// <summary>Servers such as Ollama need no key, but the client library refuses an empty one.</summary>
    private const string NoApiKey = "no-key";

    public static OpenAIChatCompletionService Create(
        Uri endpoint, string model, string? apiKey, HttpClient httpClient, ILoggerFactory? loggerFactory)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            Transport = new HttpClientPipelineTransport(httpClient),
            // No retries: a retried streaming call would hold the student's first token back; the
            // caller reports model_unavailable and the client decides.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // The library's default 100 s network timeout would cut long streams; the first-token
            // timeout and the whole-stream limit are enforced by the caller.
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrWhiteSpace(apiKey) ? NoApiKey : apiKey), options);
        return new OpenAIChatCompletionService(model, client, loggerFactory);
    }
}
