using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using StudyGuru.Infrastructure.Ai.OpenAi;
using StudyGuru.Infrastructure.Media;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai.OpenAi;

/// <summary>The OpenAI adapters wired as AddAi wires them, pointed at a given endpoint.</summary>
internal static class OpenAiAdapters
{
    public const string Model = "test-model";
    public const string ApiKey = "test-key";

    public static OpenAIChatCompletionService Service(Uri endpoint) =>
        OpenAiChatCompletionFactory.Create(endpoint, Model, ApiKey, new HttpClient(ModelHttpHandler.Create()) { Timeout = Timeout.InfiniteTimeSpan }, NullLoggerFactory.Instance);

    /// <param name="media">Where the images of the requests are stored; none by default.</param>
    public static SemanticKernelChatModel ChatModel(Uri endpoint, InMemoryMediaStorage? media = null) =>
        new(Service(endpoint),
            new ModelImageLoader(media ?? new InMemoryMediaStorage(), new ImageBytesBudget(64 * 1024 * 1024)),
            NullLogger<SemanticKernelChatModel>.Instance);

    public static SemanticKernelTitleGenerator TitleGenerator(Uri endpoint) =>
        new(Service(endpoint), NullLogger<SemanticKernelTitleGenerator>.Instance);
}
