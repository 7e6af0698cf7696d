using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Ai.Offline;

/// <summary>The offline model does not name threads: the first words of the message stay the title.</summary>
internal sealed class NoTitleGenerator : ITitleGenerator
{
    public Task<GeneratedTitles?> GenerateAsync(string question, string answer, CancellationToken cancellationToken) =>
        Task.FromResult<GeneratedTitles?>(null);
}
