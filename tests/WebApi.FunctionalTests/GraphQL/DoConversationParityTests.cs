using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.GraphQL;

/// <summary>
/// <c>do_conversation</c> and the SSE stream are one use case: the same offline answer is persisted and charged
/// the same way. The second of two identical prompts is served by the response cache: it must still match.
/// </summary>
public sealed class DoConversationParityTests
{
    private const string Mutation =
        "mutation($input: DoConversationInput!) { do_conversation(input: $input) { interaction_id ai_response tokens_used points_cost finish_reason } }";
    private StudyGuruApiFactory _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void StartApi()
    {
        _factory = new StudyGuruApiFactory();
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void StopApi()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [TestCase(true, "Explain why leaves change colour in autumn")]
    [TestCase(false, "Explain why the moon has phases")]
    public async Task DoConversationAndStream_SameQuestion_SamePersistedAnswerAndCharge(bool streamFirst, string question)
    {
        var streamUser = await _client.RegisterAsync();
        var graphQLUser = await _client.RegisterAsync();

        Outcome stream, graphQL;
        if (streamFirst)
        {
            stream = await ViaStreamAsync(streamUser.Token, question);
            graphQL = await ViaGraphQLAsync(graphQLUser.Token, question);
        }
        else
        {
            graphQL = await ViaGraphQLAsync(graphQLUser.Token, question);
            stream = await ViaStreamAsync(streamUser.Token, question);
        }

        Assert.That(graphQL.Answer, Is.EqualTo(stream.Answer));
        Assert.That(graphQL.TokensUsed, Is.EqualTo(stream.TokensUsed));
        Assert.That(graphQL.PointsCost, Is.EqualTo(stream.PointsCost).And.GreaterThan(0));
        Assert.That(graphQL.FinishReason, Is.EqualTo("stop"));

        var streamSaved = await SavedAnswerAsync(streamUser.Token, stream.InteractionId);
        var graphQLSaved = await SavedAnswerAsync(graphQLUser.Token, graphQL.InteractionId);
        foreach (var field in new[] { "content", "status" })
            Assert.That(graphQLSaved.GetProperty(field).GetString(), Is.EqualTo(streamSaved.GetProperty(field).GetString()), field);
        foreach (var field in new[] { "tokens_used", "points_cost" })
            Assert.That(graphQLSaved.GetProperty(field).GetInt32(), Is.EqualTo(streamSaved.GetProperty(field).GetInt32()), field);
        Assert.That(graphQLSaved.GetProperty("content").GetString(), Is.EqualTo(graphQL.Answer));

        var streamCharge = await _client.LatestLedgerEntryAsync(streamUser.Token);
        var graphQLCharge = await _client.LatestLedgerEntryAsync(graphQLUser.Token);
        Assert.That(graphQLCharge.GetProperty("type").GetString(), Is.EqualTo("used"));
        Assert.That(graphQLCharge.GetProperty("points").GetInt32(), Is.EqualTo(streamCharge.GetProperty("points").GetInt32()));
        Assert.That(graphQLCharge.GetProperty("points").GetInt32(), Is.EqualTo(graphQL.PointsCost));
        var graphQLAccount = await _client.GetJsonAsync("/api/account", graphQLUser.Token);
        Assert.That(graphQLAccount.GetProperty("current_points").GetInt32(), Is.EqualTo(30 - graphQL.PointsCost));
    }

    private sealed record Outcome(Guid InteractionId, string Answer, int TokensUsed, int PointsCost, string FinishReason);

    private async Task<Outcome> ViaStreamAsync(string token, string question)
    {
        var (id, events) = await _client.AskAsync(token, question);
        var complete = events[^1];
        Assert.That(complete.Type, Is.EqualTo("complete"));
        return new Outcome(id, complete.Str("content")!, complete.Int("tokens_used"), complete.Int("points_cost"), complete.Str("finish_reason")!);
    }

    private async Task<Outcome> ViaGraphQLAsync(string token, string question)
    {
        var response = await _client.GraphQLAsync(token, Mutation, new { input = new { message = question, max_tokens = 300 } });
        Assert.That(response.ErrorCodes(), Is.Empty, response.ToString());
        var answer = response.GetProperty("data").GetProperty("do_conversation");
        return new Outcome(Guid.Parse(answer.GetProperty("interaction_id").GetString()!), answer.GetProperty("ai_response").GetString()!,
            answer.GetProperty("tokens_used").GetInt32(), answer.GetProperty("points_cost").GetInt32(), answer.GetProperty("finish_reason").GetString()!);
    }

    private async Task<JsonElement> SavedAnswerAsync(string token, Guid interactionId) =>
        (await _client.GetJsonAsync($"/api/interactions/{interactionId}/messages", token)).GetProperty("items")[0];
}
