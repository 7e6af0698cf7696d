using StudyGuru.Application.Abstractions;

namespace StudyGuru.Application.UnitTests;

public sealed class AnswerPiecesTests
{
    [Test]
    public void Indexing_GivesEachPieceInOrder()
    {
        var pieces = new AnswerPieces("The answer is 84.", [3, 10, 13, 17]);

        Assert.Multiple(() =>
        {
            Assert.That(pieces, Has.Count.EqualTo(4));
            Assert.That(pieces, Is.EqualTo(new[] { "The", " answer", " is", " 84." }));
            Assert.That(pieces[2], Is.EqualTo(" is"));
            Assert.That(pieces.Text, Is.EqualTo("The answer is 84."));
        });
    }

    [Test]
    public void EmptyPiecesAndEmptyAnswer_AreKept()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new AnswerPieces("ab", [1, 1, 2]), Is.EqualTo(new[] { "a", "", "b" }));
            Assert.That(new AnswerPieces("", []), Is.Empty);
        });
    }

    [TestCase(new[] { 3, 2 })]
    [TestCase(new[] { 5 })]
    [TestCase(new[] { -1 })]
    public void EndsThatDoNotAscendWithinTheText_AreRefused(int[] ends)
    {
        Assert.That(() => new AnswerPieces("abcd", ends), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
