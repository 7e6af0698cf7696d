namespace StudyGuru.WebApi.Contracts;

/// <summary>Body of PATCH /api/interactions/{id}: either field may be left out (or null) to keep it.</summary>
/// <param name="Title">A new title, up to 200 characters; marks the title as the user's own.</param>
/// <param name="IsPinned">Pinned threads come first in the list.</param>
public sealed record UpdateInteractionRequest(string? Title = null, bool? IsPinned = null);
