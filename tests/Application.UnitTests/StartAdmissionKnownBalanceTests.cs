using Microsoft.Extensions.Options;
using Moq;
using StudyGuru.Application.Abstractions;
using StudyGuru.Application.Common.Settings;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Application.Points;
using StudyGuru.Domain.Generations;

namespace StudyGuru.Application.UnitTests;

/// <summary>The balance read before a start is skipped only where a fresh read could not plan otherwise.</summary>
public sealed class StartAdmissionKnownBalanceTests
{
    private Mock<IAccountRepository> _accounts = null!;
    private KnownBalances _known = null!;
    private StartAdmission _admission = null!;
    private readonly Guid _userId = Guid.NewGuid();

    [SetUp]
    public void NewSeams()
    {
        _accounts = new Mock<IAccountRepository>();
        _known = new KnownBalances();
        _admission = new StartAdmission(_accounts.Object, Mock.Of<IGenerationLimiter>(),
            new ConversationAccess(Mock.Of<IInteractionRepository>(), Mock.Of<IConversationCache>()),
            Options.Create(new PointsOptions()), _known);
    }

    private StreamConversationQuery Query() => new(_userId, null, "What is 2+2?", null, 1000, GenerationFormat.Conversation);

    private Task<AdmittedStart> AdmitAsync(bool mayPlanFromKnownBalance) =>
        _admission.AdmitAsync(Query(), null, inputEstimate: 100, requestedMaxTokens: 1000, mayPlanFromKnownBalance, CancellationToken.None);

    [Test]
    public async Task AdmitAsync_KnownBalanceCoversTheWorstCase_PlansTheWorstCaseWithoutReading()
    {
        _admission.Started(_userId, 500);

        await using var admitted = await AdmitAsync(mayPlanFromKnownBalance: true);

        Assert.That(admitted.PlannedFromKnownBalance, Is.True);
        Assert.That(admitted.Plan, Is.EqualTo(PointsPolicy.Plan(500, 100, 1000, new PointsOptions().MinAnswerTokens)));
        Assert.That(admitted.Plan.ReservePoints, Is.EqualTo(PointsPolicy.WorstCase(100, 1000)));
        _accounts.Verify(a => a.GetCurrentPointsAsync(It.IsAny<Guid>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task AdmitAsync_KnownBalanceShortOfTheWorstCase_ReadsTheBalanceAndPlansWithIt()
    {
        _admission.Started(_userId, PointsPolicy.WorstCase(100, 1000) - 1);
        _accounts.Setup(a => a.GetCurrentPointsAsync(_userId, It.IsAny<CancellationToken>())).ReturnsAsync(5);

        await using var admitted = await AdmitAsync(mayPlanFromKnownBalance: true);

        Assert.That(admitted.PlannedFromKnownBalance, Is.False);
        Assert.That(admitted.Plan, Is.EqualTo(PointsPolicy.Plan(5, 100, 1000, new PointsOptions().MinAnswerTokens)));
        Assert.That(_known.TryGetCovering(_userId, 5, out var remembered) && remembered == 5, Is.True, "a fresh read is remembered");
    }

    [Test]
    public async Task AdmitAsync_AfterARefusedPlanFromTheKnownBalance_ReadsItAgain()
    {
        _admission.Started(_userId, 500);
        _accounts.Setup(a => a.GetCurrentPointsAsync(_userId, It.IsAny<CancellationToken>())).ReturnsAsync(500);

        await using var admitted = await AdmitAsync(mayPlanFromKnownBalance: false);

        Assert.That(admitted.PlannedFromKnownBalance, Is.False);
        _accounts.Verify(a => a.GetCurrentPointsAsync(_userId, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public void AdmitAsync_NoKnownBalanceAndAnAccountThatIsGone_IsUnauthorized()
    {
        _accounts.Setup(a => a.GetCurrentPointsAsync(_userId, It.IsAny<CancellationToken>())).ReturnsAsync((int?)null);

        Assert.That(async () => await AdmitAsync(mayPlanFromKnownBalance: true), Throws.InstanceOf<StudyGuru.Application.Common.Errors.UnauthorizedException>());
    }
}
