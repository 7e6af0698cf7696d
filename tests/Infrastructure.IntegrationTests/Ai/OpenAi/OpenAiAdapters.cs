using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using StudyGuru.Infrastructure.Ai.OpenAi;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai.OpenAi;

/// <summary>The OpenAI adapters wired as AddAi wires them, pointed at a given endpoint.</summary>
internal static class OpenAiAdapters
{
    public const string Model = "test-model";
    public const string ApiKey = "test-key";

    public static OpenAIChatCompletionService Service(Uri endpoint) =>
        OpenAiChatCompletionFactory.Create(endpoint, Model, ApiKey, new HttpClient(ModelHttpHandler.Create()) { Timeout = Timeout.InfiniteTimeSpan }, NullLoggerFactory.Instance);

    public static SemanticKernelChatModel ChatModel(Uri endpoint) =>
        new(Service(endpoint), SharedTokenCounter.Instance, NullLogger<SemanticKernelChatModel>.Instance);

    public static SemanticKernelTitleGenerator TitleGenerator(Uri endpoint) =>
        new(Service(endpoint), NullLogger<SemanticKernelTitleGenerator>.Instance);
}
