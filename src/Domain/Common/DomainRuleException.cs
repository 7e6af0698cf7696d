namespace StudyGuru.Domain.Common;

/// <summary>An entity refused an operation that would break one of its invariants.</summary>
public sealed class DomainRuleException(string message) : Exception(message);
