using Microsoft.EntityFrameworkCore;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Infrastructure.Persistence.Repositories;

internal sealed class ChatRepository(StudyGuruDbContext db) : IChatRepository
{
    public async Task<ChatThreadLookup> FindThreadAsync(Guid userId, string chatId, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(chatId, out var interactionId))
        {
            var byId = await db.Interactions.AsNoTracking()
                .Where(i => i.Id == interactionId)
                .Select(i => new { i.UserId, i.ActiveGenerationId })
                .SingleOrDefaultAsync(cancellationToken);
            if (byId is not null)
                return byId.UserId == userId ? new ChatThreadLookup.Found(interactionId, byId.ActiveGenerationId) : new ChatThreadLookup.SomeoneElses();
        }
        var byChatId = await db.Interactions.AsNoTracking()
            .Where(i => i.UserId == userId && i.ChatId == chatId)
            .Select(i => new { i.Id, i.ActiveGenerationId })
            .SingleOrDefaultAsync(cancellationToken);
        return byChatId is null ? new ChatThreadLookup.None() : new ChatThreadLookup.Found(byChatId.Id, byChatId.ActiveGenerationId);
    }

    public Task<Message?> FindLastQuestionAsync(Guid interactionId, CancellationToken cancellationToken) =>
        db.Messages.AsNoTracking()
            .Include(m => m.Media)
            .Where(m => m.InteractionId == interactionId && m.Role == MessageRole.User)
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .FirstOrDefaultAsync(cancellationToken);

    public Task<Guid?> FindLatestEndedGenerationAsync(Guid interactionId, CancellationToken cancellationToken) =>
        db.Generations.AsNoTracking()
            .Where(g => g.InteractionId == interactionId && g.HasEnded)
            .OrderByDescending(g => g.CreatedAt).ThenByDescending(g => g.Id)
            .Select(g => (Guid?)g.Id)
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<Message>> ListRestorableMessagesAsync(Guid interactionId, CancellationToken cancellationToken) =>
        await db.Messages.AsNoTracking()
            .Include(m => m.Media)
            .Where(m => m.InteractionId == interactionId
                && m.Status != MessageStatus.Superseded && m.Status != MessageStatus.Processing)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);

    public async Task<AnswerCharge?> FindChargeAsync(Guid generationId, CancellationToken cancellationToken)
    {
        var answer = await db.Messages.AsNoTracking()
            .Where(m => m.GenerationId == generationId && m.Role == MessageRole.Assistant)
            .Join(db.Interactions.AsNoTracking(), m => m.InteractionId, i => i.Id, (m, i) => new { m.PointsCost, i.UserId })
            .FirstOrDefaultAsync(cancellationToken);
        if (answer is null) return null;
        var balance = await db.Users.AsNoTracking().Where(u => u.Id == answer.UserId).Select(u => u.CurrentPoints).SingleAsync(cancellationToken);
        return new AnswerCharge(answer.PointsCost, balance);
    }
}
