using Microsoft.Extensions.Options;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Infrastructure.Ai.Offline;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai.Offline;

internal static class OfflineModels
{
    public static OfflineTutorModel Create(int tokenDelayMs = 0, int answerWords = 0) =>
        new(Options.Create(new AiOptions
        {
            Offline = new OfflineModelOptions { TokenDelayMs = tokenDelayMs, AnswerWords = answerWords },
        }));
}
