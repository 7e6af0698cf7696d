using Microsoft.Extensions.DependencyInjection;
using StudyGuru.Application.Accounts.AdminRole;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests;

/// <summary>Every bad request is a problem response before any stream starts, never a 500.</summary>
public sealed class BadInputTests : SharedApiTests
{
    private static IEnumerable<TestCaseData> BadBodies()
    {
        yield return new TestCaseData("{\"message\": \"hi\"", 400, "body").SetName("MalformedJson");
        yield return new TestCaseData("{\"message\": \"hi\", \"max_tokens\": \"many\"}", 400, "max_tokens").SetName("WrongTypeForMaxTokens");
        yield return new TestCaseData("{\"message\": 42}", 400, "message").SetName("WrongTypeForMessage");
        yield return new TestCaseData("{\"message\": \"hi\", \"temperature\": 2}", 400, "temperature").SetName("UnknownField");
        yield return new TestCaseData("", 400, "body").SetName("EmptyBody");
        yield return new TestCaseData("{\"message\": \"   \"}", 400, "message").SetName("BlankMessageWithoutMedia");
        yield return new TestCaseData("{}", 400, "message").SetName("NoMessageNoMedia");
        yield return new TestCaseData("{\"message\": \"hi\", \"max_tokens\": -5}", 400, "max_tokens").SetName("NegativeMaxTokens");
        yield return new TestCaseData("{\"message\": \"hi\", \"max_tokens\": 0}", 400, "max_tokens").SetName("ZeroMaxTokens");
        yield return new TestCaseData("{\"message\": \"hi\", \"max_tokens\": 20001}", 400, "max_tokens").SetName("HugeMaxTokens");
        yield return new TestCaseData("{\"message\": \"hi\", \"max_tokens\": 99999999999}", 400, "max_tokens").SetName("MaxTokensOverflow");
        yield return new TestCaseData("{\"message\": \"hi\", \"interaction_id\": \"not-a-uuid\"}", 400, "interaction_id").SetName("NonUuidInteractionId");
        yield return new TestCaseData("{\"message\": \"hi\", \"media_files\": [{\"id\": \"nope\"}]}", 400, "media_files[0].id").SetName("NonUuidMediaId");
        yield return new TestCaseData("{\"message\": \"hi\", \"media_files\": [" + string.Join(',', Enumerable.Range(0, 6).Select(_ => $"{{\"id\": \"{Guid.NewGuid()}\"}}")) + "]}", 400, "media_files").SetName("TooManyMedia");
        yield return new TestCaseData(JsonSerializer.Serialize(new { message = new string('a', 8001) }), 400, "message").SetName("MessageOver8000");
        yield return new TestCaseData(JsonSerializer.Serialize(new { message = new string('a', 1_000_000) }), 413, null).SetName("OneMegabyteMessage");
        yield return new TestCaseData("[1,2,3]", 400, "body").SetName("JsonArrayInsteadOfObject");
    }

    [TestCaseSource(nameof(BadBodies))]
    public async Task StreamConversation_BadBody_IsProblemNotStream(string body, int status, string? field)
    {
        using var request = ApiClient.RawRequest(HttpMethod.Post, "/api/stream/stream-conversation", Student.Token, body);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await Client.SendAsync(request);

        Assert.That((int)response.StatusCode, Is.EqualTo(status), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(status));
        if (field is not null)
            Assert.That(problem.GetProperty("errors").EnumerateObject().Select(p => p.Name), Does.Contain(field));
    }

    [Test]
    public async Task StreamConversation_NullOptionalFields_AreAccepted()
    {
        var events = await Client.StreamAsync(Student.Token,
            JsonSerializer.Deserialize<JsonElement>("{\"interaction_id\": null, \"message\": \"What is 3+3?\", \"media_files\": null, \"max_tokens\": null}"));
        Assert.That(events[^1].Type, Is.EqualTo("complete"));
    }

    [Test]
    public async Task StreamConversation_TextPlainBody_Is415Problem()
    {
        using var request = ApiClient.RawRequest(HttpMethod.Post, "/api/stream/stream-conversation", Student.Token, "hello", "text/plain");
        using var response = await Client.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(415));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task StreamSimple_MessageOver2000_Is400()
    {
        using var request = ApiClient.RawRequest(HttpMethod.Get, $"/api/stream/stream-simple?message={new string('b', 2001)}", Student.Token);
        using var response = await Client.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That(problem.GetProperty("errors").TryGetProperty("message", out _), Is.True);
    }

    [Test]
    public async Task StreamSimple_NonNumericMaxTokens_Is400()
    {
        using var request = ApiClient.RawRequest(HttpMethod.Get, "/api/stream/stream-simple?message=hi&max_tokens=lots", Student.Token);
        using var response = await Client.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task StreamConversation_MalformedLastEventId_Is400()
    {
        using var request = ApiClient.StreamRequest(Student.Token, new { message = "hi" });
        request.Headers.Add("Last-Event-ID", "garbage");
        using var response = await Client.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task Register_WeakPasswordAndBadEmail_Is400ListingBothFields()
    {
        using var response = await Client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, "/api/auth/register", null,
            "{\"email\": \"not-an-email\", \"password\": \"short\"}"));
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(p => p.Name), Is.SupersetOf(new[] { "email", "password" }));
    }

    [Test]
    public async Task Register_PasswordWithoutDigit_Is400()
    {
        using var response = await Client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, "/api/auth/register", null,
            JsonSerializer.Serialize(new { email = $"x{Guid.NewGuid():N}@example.com", password = "onlyletters" })));
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task Register_DuplicateEmail_Is409()
    {
        var email = $"dup-{Guid.NewGuid():N}@example.com";
        await Client.RegisterAsync(email);
        using var response = await Client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, "/api/auth/register", null,
            JsonSerializer.Serialize(new { email, password = "secret123" })));
        Assert.That((int)response.StatusCode, Is.EqualTo(409));
    }

    [Test]
    public async Task Login_WrongEmailOrWrongPassword_SameProblem401()
    {
        var user = await Client.RegisterAsync();
        using var wrongPassword = await Client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, "/api/auth/login", null,
            JsonSerializer.Serialize(new { email = user.Email, password = "wrong12345" })));
        using var wrongEmail = await Client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, "/api/auth/login", null,
            JsonSerializer.Serialize(new { email = "nobody-" + user.Email, password = "secret123" })));

        Assert.That((int)wrongPassword.StatusCode, Is.EqualTo(401));
        Assert.That((int)wrongEmail.StatusCode, Is.EqualTo(401));
        var a = JsonDocument.Parse(await wrongPassword.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        var b = JsonDocument.Parse(await wrongEmail.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.That(a, Is.EqualTo(b));
    }

    [Test]
    public async Task Login_RightCredentials_ReturnsWorkingToken()
    {
        var user = await Client.RegisterAsync();
        using var response = await Client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, "/api/auth/login", null,
            JsonSerializer.Serialize(new { email = user.Email, password = "secret123" })));
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
        var account = await Client.GetJsonAsync("/api/account", token);
        Assert.That(account.GetProperty("email").GetString(), Is.EqualTo(user.Email));
    }

    [Test]
    public async Task ListTransactions_SizeOver100_Is400()
    {
        using var response = await Client.SendAsync(ApiClient.RawRequest(HttpMethod.Get, "/api/account/points/transactions?size=101", Student.Token));
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
    }

    [Test]
    public async Task Register_StartsWithSignupBonusAsEarnedEntry()
    {
        var user = await Client.RegisterAsync();
        var ledger = await Client.GetJsonAsync("/api/account/points/transactions", user.Token);
        var items = ledger.GetProperty("items").EnumerateArray().ToList();
        Assert.That(items, Has.Count.EqualTo(1));
        Assert.That(items[0].GetProperty("type").GetString(), Is.EqualTo("earned"));
        Assert.That(items[0].GetProperty("points").GetInt32(), Is.EqualTo(30));
        Assert.That(ledger.GetProperty("total").GetInt32(), Is.EqualTo(1));
        Assert.That(ledger.GetProperty("has_next_page").GetBoolean(), Is.False);
    }

    [Test]
    public async Task AdminCredit_NonAdmin_Is403_Admin_AddsPurchasedEntry()
    {
        var student = await Client.RegisterAsync();
        var operatorUser = await Client.RegisterAsync();
        using (var forbidden = await Client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, $"/api/admin/users/{student.Id}/points", operatorUser.Token,
                   JsonSerializer.Serialize(new { points = 50, description = "gift" }))))
            Assert.That((int)forbidden.StatusCode, Is.EqualTo(403));

        // The role is granted by the operator command (docs/deployment.md), which sends this same command.
        await using (var scope = Factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Mediator.IMediator>().Send(new SetAdminRoleCommand(operatorUser.Email, true));
        using var response = await Client.SendAsync(ApiClient.RawRequest(HttpMethod.Post, $"/api/admin/users/{student.Id}/points", operatorUser.Token,
            JsonSerializer.Serialize(new { points = 50, description = "Top-up" })));
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        var account = await Client.GetJsonAsync("/api/account", student.Token);
        Assert.That(account.GetProperty("current_points").GetInt32(), Is.EqualTo(80));
        Assert.That(account.GetProperty("total_points_earned").GetInt32(), Is.EqualTo(80));
        var ledger = await Client.GetJsonAsync("/api/account/points/transactions", student.Token);
        Assert.That(ledger.GetProperty("items")[0].GetProperty("type").GetString(), Is.EqualTo("purchased"));
    }

    [Test]
    public async Task StreamSimple_UrlOver8KB_Is414Problem()
    {
        using var request = ApiClient.RawRequest(HttpMethod.Get, $"/api/stream/stream-simple?message={new string('c', 9000)}", Student.Token);
        using var response = await Client.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(414));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }
}
