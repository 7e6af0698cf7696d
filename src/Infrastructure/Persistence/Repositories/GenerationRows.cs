using StudyGuru.Domain.Accounts;
using StudyGuru.Domain.Generations;
using StudyGuru.Domain.Interactions;

namespace StudyGuru.Infrastructure.Persistence.Repositories;

/// <summary>
/// The rows a start and a settlement insert, written as plain INSERTs into one <see cref="SqlBatch"/> instead of
/// through the change tracker. Every mapped column is listed (a test compares these lists with the model, so a
/// column added later cannot be left out silently).
/// </summary>
internal static class GenerationRows
{
    internal const string InteractionColumns =
        "Id, UserId, Title, SummaryTitle, IsPinned, ActiveGenerationId, TitleSetByUser, CreatedAt, UpdatedAt, LastMessageAt, ChatId";
    internal const string MessageColumns =
        "Id, InteractionId, Role, Content, Status, InputTokens, OutputTokens, TokensUsed, PointsCost, ErrorMessage, GenerationId, CreatedAt";
    internal const string MessageMediaColumns = "MessageId, MediaId, FileType, Removed";
    internal const string GenerationColumns =
        "Id, UserId, InteractionId, UserMessageId, Format, MaxTokens, ReservedPoints, IdempotencyKey, RequestHash, FirstEventJson, "
        + "TerminalEventJson, TerminalSequence, TerminalPointsBalance, HasEnded, CreatedAt, EndedAt";
    internal const string ReservationColumns = "Id, UserId, InteractionId, Amount, ChargedPoints, Status, LeaseExpiresAt, CreatedAt, ClosedAt";
    internal const string LedgerColumns = "Id, UserId, Type, Points, Description, InteractionId, CreatedAt";

    /// <summary>A new thread, inserted already claimed by <paramref name="activeGenerationId"/>.</summary>
    public static SqlBatch InsertInteraction(this SqlBatch batch, Interaction i, Guid activeGenerationId) =>
        batch.Insert("Interactions", InteractionColumns,
            i.Id, i.UserId, i.Title, i.SummaryTitle, i.IsPinned, activeGenerationId, i.TitleSetByUser, i.CreatedAt, i.UpdatedAt,
            i.LastMessageAt, i.ChatId);

    public static SqlBatch InsertMessage(this SqlBatch batch, Message m)
    {
        batch.Insert("Messages", MessageColumns,
            m.Id, m.InteractionId, m.Role, m.Content, m.Status, m.InputTokens, m.OutputTokens, m.TokensUsed, m.PointsCost,
            m.ErrorMessage, m.GenerationId, m.CreatedAt);
        foreach (var media in m.Media)
            batch.Insert("MessageMedia", MessageMediaColumns, media.MessageId, media.MediaId, media.FileType, media.Removed);
        return batch;
    }

    public static SqlBatch InsertGeneration(this SqlBatch batch, Generation g) =>
        batch.Insert("Generations", GenerationColumns,
            g.Id, g.UserId, g.InteractionId, g.UserMessageId, g.Format, g.MaxTokens, g.ReservedPoints, g.IdempotencyKey, g.RequestHash,
            g.FirstEventJson, g.TerminalEventJson, g.TerminalSequence, g.TerminalPointsBalance, g.HasEnded, g.CreatedAt, g.EndedAt);

    public static SqlBatch InsertReservation(this SqlBatch batch, PointsReservation r) =>
        batch.Insert("PointsReservations", ReservationColumns,
            r.Id, r.UserId, r.InteractionId, r.Amount, r.ChargedPoints, r.Status, r.LeaseExpiresAt, r.CreatedAt, r.ClosedAt);

    public static SqlBatch InsertLedgerEntry(this SqlBatch batch, PointsLedgerEntry e) =>
        batch.Insert("PointsLedger", LedgerColumns, e.Id, e.UserId, e.Type, e.Points, e.Description, e.InteractionId, e.CreatedAt);
}
