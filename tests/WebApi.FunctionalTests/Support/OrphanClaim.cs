using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.WebApi.FunctionalTests.Support;

/// <summary>
/// A thread claimed by a generation that no instance runs (as after its owner died, before the sweep):
/// started in the database only, never handed to a running host.
/// </summary>
public static class OrphanClaim
{
    public static async Task<Guid> CreateAsync(IServiceProvider services, Guid userId, Guid interactionId)
    {
        using var scope = services.CreateScope();
        var now = DateTime.UtcNow;
        var question = Message.FromUser(interactionId, "An orphaned question", [], now);
        var generation = Generation.Begin(Guid.CreateVersion7(), userId, interactionId, question.Id, GenerationFormat.Conversation,
            100, 2, null, null, now);
        var result = await scope.ServiceProvider.GetRequiredService<IGenerationRepository>().StartAsync(
            new GenerationStart(generation, null, interactionId, question, now, TimeSpan.FromMinutes(5)), CancellationToken.None);
        if (result is not GenerationStartResult.Started) throw new InvalidOperationException($"The claim was refused: {result}");
        return generation.Id;
    }
}
