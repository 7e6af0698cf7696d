using StudyGuru.Infrastructure.Ai;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai;

/// <summary>One tokenizer for all tests: loading the o200k vocabulary takes about half a second.</summary>
internal static class SharedTokenCounter
{
    private static readonly Lazy<O200kTokenCounter> Lazy = new(() => new O200kTokenCounter());

    public static O200kTokenCounter Instance => Lazy.Value;
}
