using System.Text.Json.Serialization;
using StudyGuru.Application.Abstractions;

namespace StudyGuru.Infrastructure.Caching;

/// <summary>The JSON shapes stored in Redis, source-generated so that no reflection runs per call.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(ChatTurn[]))]
[JsonSerializable(typeof(CachedResponse))]
internal sealed partial class ConversationCacheJson : JsonSerializerContext;
