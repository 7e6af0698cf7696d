using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Moq;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Accounts;
using StudyGuru.WebApi.Auth;

namespace StudyGuru.WebApi.FunctionalTests;

/// <summary>
/// Authorization builds every handler for every authorized request, streams included: building the admin handler must
/// not take a repository (and with it a DbContext) that the open stream would hold until it ends.
/// </summary>
public sealed class StoredAdminRoleHandlerTests
{
    [Test]
    public async Task Built_ForARequestWithoutAdminRequirement_ResolvesNothing()
    {
        var services = new Mock<IServiceProvider>(MockBehavior.Strict);
        IAuthorizationHandler handler = new StoredAdminRoleHandler(services.Object);
        var context = new AuthorizationHandlerContext([new DenyAnonymousAuthorizationRequirement()], User(Guid.NewGuid()), null);

        await handler.HandleAsync(context);

        services.VerifyNoOtherCalls();
    }

    [TestCase(UserRole.Admin, true)]
    [TestCase(UserRole.Student, false)]
    public async Task AdminRequirement_ReadsTheStoredRole(string storedRole, bool succeeds)
    {
        var userId = Guid.NewGuid();
        var accounts = new Mock<IAccountRepository>();
        accounts.Setup(a => a.GetRoleAsync(userId, It.IsAny<CancellationToken>())).ReturnsAsync(storedRole);
        var services = new Mock<IServiceProvider>();
        services.Setup(s => s.GetService(typeof(IAccountRepository))).Returns(accounts.Object);
        var requirement = new StoredAdminRoleRequirement();
        var context = new AuthorizationHandlerContext([requirement], User(userId), null);

        await new StoredAdminRoleHandler(services.Object).HandleAsync(context);

        Assert.That(context.HasSucceeded, Is.EqualTo(succeeds));
    }

    private static ClaimsPrincipal User(Guid id) => new(new ClaimsIdentity([new Claim("sub", id.ToString())], "test", "sub", "role"));
}
