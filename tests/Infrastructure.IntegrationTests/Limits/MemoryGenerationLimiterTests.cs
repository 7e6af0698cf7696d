using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Limits;

namespace StudyGuru.Infrastructure.IntegrationTests.Limits;

public sealed class MemoryGenerationLimiterTests : GenerationLimiterContractTests
{
    private protected override Task<IGenerationLimiter> CreateAsync(GenerationLimitRules rules) =>
        Task.FromResult<IGenerationLimiter>(new MemoryGenerationLimiter(rules, Clock));
}
