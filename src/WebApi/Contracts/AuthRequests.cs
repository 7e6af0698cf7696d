namespace StudyGuru.WebApi.Contracts;

public sealed record RegisterRequest(string? Email = null, string? Password = null, string? FirstName = null, string? LastName = null);

public sealed record LoginRequest(string? Email = null, string? Password = null);

public sealed record CreditPointsRequest(int? Points = null, string? Description = null);
