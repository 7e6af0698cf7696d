using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using StudyGuru.Application.Abstractions;
using StudyGuru.Domain.Accounts;
using StudyGuru.WebApi.Auth;

namespace StudyGuru.WebApi.FunctionalTests;

/// <summary>
/// Authorization builds every registered handler for every request; the admin role's handler must not take the
/// account repository (a rented database context) unless an admin requirement is being checked.
/// </summary>
[TestFixture]
public sealed class StoredAdminRoleHandlerTests
{
    private static readonly Guid UserId = Guid.NewGuid();

    private static ClaimsPrincipal User() => new(new ClaimsIdentity([new Claim("sub", UserId.ToString())], "Bearer"));

    [Test]
    public async Task OtherRequirements_DoNotResolveTheAccountRepository()
    {
        var resolved = 0;
        using var services = new ServiceCollection()
            .AddScoped(_ => { resolved++; return Mock.Of<IAccountRepository>(); })
            .BuildServiceProvider();
        var handler = new StoredAdminRoleHandler(services);
        var context = new AuthorizationHandlerContext([new DenyAnonymousAuthorizationRequirement()], User(), null);

        await handler.HandleAsync(context);

        Assert.That(resolved, Is.Zero);
    }

    [TestCase(UserRole.Admin, true)]
    [TestCase(UserRole.Student, false)]
    public async Task AdminRequirement_ReadsTheStoredRole(string role, bool succeeds)
    {
        var accounts = new Mock<IAccountRepository>();
        accounts.Setup(a => a.GetRoleAsync(UserId, It.IsAny<CancellationToken>())).ReturnsAsync(role);
        using var services = new ServiceCollection().AddScoped(_ => accounts.Object).BuildServiceProvider();
        var handler = new StoredAdminRoleHandler(services);
        var context = new AuthorizationHandlerContext([new StoredAdminRoleRequirement()], User(), null);

        await handler.HandleAsync(context);

        Assert.That(context.HasSucceeded, Is.EqualTo(succeeds));
        accounts.Verify(a => a.GetRoleAsync(UserId, It.IsAny<CancellationToken>()), Times.Once);
    }
}
