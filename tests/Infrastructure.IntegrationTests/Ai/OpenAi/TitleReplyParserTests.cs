using StudyGuru.Application.Abstractions;
using StudyGuru.Infrastructure.Ai.OpenAi;

namespace StudyGuru.Infrastructure.IntegrationTests.Ai.OpenAi;

public sealed class TitleReplyParserTests
{
    [Test]
    public void Parse_TitleLongerThan60_CutAtAWordBoundary()
    {
        var reply = "{\"title\": \"An unusually long title about the many causes of the French Revolution of 1789\", \"summary_title\": \"Help with history\"}";

        var titles = TitleReplyParser.Parse(reply);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(titles!.Title, Has.Length.LessThanOrEqualTo(60));
            Assert.That(titles.Title, Is.EqualTo("An unusually long title about the many causes of the French"));
        }
    }

    [Test]
    public void Parse_SummaryMissing_DerivedFromTitle() =>
        Assert.That(TitleReplyParser.Parse("{\"title\": \"Photosynthesis\"}"),
            Is.EqualTo(new GeneratedTitles("Photosynthesis", "Help with photosynthesis")));

    [Test]
    public void Parse_MultilineTitleWithTrailingComma_OneLine() =>
        Assert.That(TitleReplyParser.Parse("{\"title\": \"Newton's\\n  laws\", \"summary_title\": \"Help with motion\",}"),
            Is.EqualTo(new GeneratedTitles("Newton's laws", "Help with motion")));

    [Test]
    public void Parse_Null_Null() => Assert.That(TitleReplyParser.Parse(null), Is.Null);
}
