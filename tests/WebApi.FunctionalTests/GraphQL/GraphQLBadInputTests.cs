using System.Diagnostics;
using System.Net;

using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.GraphQL;

/// <summary>Bad documents are GraphQL errors with BAD_USER_INPUT: never a 500, never a stack trace.</summary>
public sealed class GraphQLBadInputTests
{
    private StudyGuruApiFactory _factory = null!;
    private HttpClient _client = null!;
    private string _token = null!;

    [OneTimeSetUp]
    public async Task StartApi()
    {
        _factory = new StudyGuruApiFactory();
        _client = _factory.CreateClient();
        _token = (await _client.RegisterAsync()).Token;
    }

    [OneTimeTearDown]
    public void StopApi()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [TestCase("{ account { id ", null, TestName = "Execute_SyntaxError_BadUserInput")]
    [TestCase("{ account { nope } }", null, TestName = "Execute_UnknownField_BadUserInput")]
    [TestCase("{ interactions(colour: 1) { total } }", null, TestName = "Execute_UnknownArgument_BadUserInput")]
    [TestCase("query($p: Int) { interactions(page: $p) { total } }", "{\"p\":\"abc\"}", TestName = "Execute_WrongVariableType_BadUserInput")]
    [TestCase("query($id: ID!) { interaction(id: $id) { id } }", "{}", TestName = "Execute_MissingVariable_BadUserInput")]
    [TestCase("{ interaction(id: \"abc\") { id } }", null, TestName = "Execute_MalformedId_BadUserInput")]
    [TestCase("subscription { account { id } }", null, TestName = "Execute_UnsupportedOperation_BadUserInput")]
    [TestCase("", null, TestName = "Execute_EmptyQuery_BadUserInput")]
    public async Task Execute_BadDocument_BadUserInput(string query, string? variablesJson)
    {
        var json = $"{{\"query\":{JsonSerializer.Serialize(query)},\"variables\":{variablesJson ?? "null"}}}";
        using var response = await _client.SendGraphQLAsync(_token, json);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var codes = JsonDocument.Parse(body).RootElement.ErrorCodes();
        Assert.That(codes, Is.Not.Empty.And.All.EqualTo("BAD_USER_INPUT"), body);
        AssertNoInternals(body);
    }

    [Test]
    public async Task Execute_TooDeep_RefusedBeforeValidation()
    {
        var query = string.Concat(Enumerable.Repeat("{ a ", 16)) + string.Concat(Enumerable.Repeat("}", 16));
        var response = await _client.GraphQLAsync(_token, query);
        Assert.That(response.ErrorCodes(), Is.EqualTo(new[] { "BAD_USER_INPUT" }));
        Assert.That(response.GetProperty("errors")[0].GetProperty("message").GetString(), Does.Contain("deeper than 15"));
    }

    [Test]
    public async Task Execute_FifteenLevels_IsNotRefusedForDepth()
    {
        var query = string.Concat(Enumerable.Repeat("{ a ", 15)) + string.Concat(Enumerable.Repeat("}", 15));
        var response = await _client.GraphQLAsync(_token, query);
        Assert.That(response.GetProperty("errors")[0].GetProperty("message").GetString(), Does.Not.Contain("deeper"));
    }

    [Test]
    public async Task Execute_DeepThroughFragments_Refused()
    {
        var fragments = string.Concat(Enumerable.Range(0, 16).Select(i => $"fragment F{i} on Query {{ a {{ ...F{i + 1} }} }} "));
        var response = await _client.GraphQLAsync(_token, "{ ...F0 } " + fragments + "fragment F16 on Query { b }");
        Assert.That(response.GetProperty("errors")[0].GetProperty("message").GetString(), Does.Contain("deeper than 15"));
    }

    [Test]
    public async Task Execute_TwoHundredAndOneFields_Refused()
    {
        var response = await _client.GraphQLAsync(_token, "{ account { " + string.Concat(Enumerable.Repeat("id ", 200)) + "} }");
        Assert.That(response.ErrorCodes(), Is.EqualTo(new[] { "BAD_USER_INPUT" }));
        Assert.That(response.GetProperty("errors")[0].GetProperty("message").GetString(), Does.Contain("more than 200 fields"));
    }

    [Test]
    public async Task Execute_FragmentsSpreadManyTimes_Refused()
    {
        // Each fragment doubles the one below it: 2^12 fields once expanded, from a few hundred bytes.
        var fragments = string.Concat(Enumerable.Range(0, 12).Select(i => $"fragment F{i} on Account {{ ...F{i + 1} ...F{i + 1} }} "));
        var response = await _client.GraphQLAsync(_token, "{ account { ...F0 } } " + fragments + "fragment F12 on Account { id }");
        Assert.That(response.GetProperty("errors")[0].GetProperty("message").GetString(), Does.Contain("more than 200 fields"));
    }

    [Test]
    public async Task Execute_FiveThousandFields_RefusedFast()
    {
        var query = "{ account { " + string.Concat(Enumerable.Repeat("id ", 5000)) + "} }";
        var watch = Stopwatch.StartNew();

        var response = await _client.GraphQLAsync(_token, query);

        // Validating this document takes many seconds; refusing it before validation takes milliseconds.
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.That(response.ErrorCodes(), Is.EqualTo(new[] { "BAD_USER_INPUT" }));
    }

    [Test]
    public async Task Execute_BodyOverTheJsonLimit_Returns413()
    {
        var query = "{ account { id } }" + new string(' ', 70_000);
        using var response = await _client.SendGraphQLAsync(_token, JsonSerializer.Serialize(new { query }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [TestCase("{\"query\": ")]
    [TestCase("[1, 2]")]
    [TestCase("{\"query\": \"{ account { id } }\", \"variables\": 5}")]
    [TestCase("null")]
    public async Task Execute_NotAGraphQLRequest_Returns400Problem(string json)
    {
        using var response = await _client.SendGraphQLAsync(_token, json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), body);
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32(), Is.EqualTo(400));
        AssertNoInternals(body);
    }

    [Test]
    public async Task Execute_NotJson_Returns415()
    {
        using var request = ApiClient.RawRequest(HttpMethod.Post, "/graphql", _token, "{ account { id } }", "application/graphql");
        using var response = await _client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    private static void AssertNoInternals(string body)
    {
        Assert.That(body, Does.Not.Contain("   at "));
        Assert.That(body, Does.Not.Contain("Exception"));
        Assert.That(body, Does.Not.Contain("stack").IgnoreCase);
    }

}
