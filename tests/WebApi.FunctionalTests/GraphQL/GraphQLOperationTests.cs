using System.Net;
using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.GraphQL;

public sealed class GraphQLOperationTests
{
    private const string InteractionFields = "id title summary_title is_pinned active_generation_id created_at updated_at";
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

    [Test]
    public async Task Account_Query_MatchesRestAccount()
    {
        var user = await _client.RegisterAsync();

        var response = await _client.GraphQLAsync(user.Token,
            "{ account { id email first_name last_name current_points total_points_earned total_points_used } }");
        var rest = await _client.GetJsonAsync("/api/account", user.Token);

        var account = response.GetProperty("data").GetProperty("account");
        Assert.That(response.ErrorCodes(), Is.Empty);
        Assert.That(account.GetProperty("id").GetString(), Is.EqualTo(user.Id.ToString()));
        Assert.That(account.GetProperty("email").GetString(), Is.EqualTo(user.Email));
        foreach (var field in new[] { "current_points", "total_points_earned", "total_points_used" })
            Assert.That(account.GetProperty(field).GetInt32(), Is.EqualTo(rest.GetProperty(field).GetInt32()), field);
    }

    [Test]
    public async Task Interactions_Query_PagesLikeRestWithResultItems()
    {
        var user = await _client.RegisterAsync();
        var (first, _) = await _client.AskAsync(user.Token, "What is 20 + 1?");
        var (second, _) = await _client.AskAsync(user.Token, "What is 20 + 2?");
        var (third, _) = await _client.AskAsync(user.Token, "What is 20 + 3?");

        var page1 = await _client.GraphQLAsync(user.Token, $"{{ interactions(page: 1, size: 2) {{ total has_next_page result {{ {InteractionFields} }} }} }}");
        var page2 = await _client.GraphQLAsync(user.Token, $"{{ interactions(page: 2, size: 2) {{ total has_next_page result {{ id }} }} }}");
        var defaults = await _client.GraphQLAsync(user.Token, "{ interactions { total has_next_page result { id } } }");

        var data1 = page1.GetProperty("data").GetProperty("interactions");
        Assert.That(data1.GetProperty("total").GetInt32(), Is.EqualTo(3));
        Assert.That(data1.GetProperty("has_next_page").GetBoolean(), Is.True);
        Assert.That(Ids(data1.GetProperty("result")), Is.EqualTo(new[] { third, second }));
        var item = data1.GetProperty("result")[0];
        Assert.That(item.GetProperty("title").GetString(), Is.EqualTo("What is 20 + 3?"));
        Assert.That(item.GetProperty("summary_title").GetString(), Is.EqualTo("Help with what is 20 + 3?"));
        Assert.That(item.GetProperty("active_generation_id").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(DateTime.Parse(item.GetProperty("created_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            Is.Not.EqualTo(default(DateTime)));
        var data2 = page2.GetProperty("data").GetProperty("interactions");
        Assert.That(Ids(data2.GetProperty("result")), Is.EqualTo(new[] { first }));
        Assert.That(data2.GetProperty("has_next_page").GetBoolean(), Is.False);
        Assert.That(Ids(defaults.GetProperty("data").GetProperty("interactions").GetProperty("result")), Has.Length.EqualTo(3));
    }

    [Test]
    public async Task Interactions_SizeOver100_BadUserInputFromTheSameValidator()
    {
        var user = await _client.RegisterAsync();
        var response = await _client.GraphQLAsync(user.Token, "{ interactions(size: 101) { total } }");
        Assert.That(response.ErrorCodes(), Is.EqualTo(new[] { "BAD_USER_INPUT" }));
        Assert.That(response.GetProperty("errors")[0].GetProperty("extensions").GetProperty("errors").TryGetProperty("size", out _), Is.True);
    }

    [Test]
    public async Task Interaction_Query_ReturnsTheThread()
    {
        var user = await _client.RegisterAsync();
        var (id, _) = await _client.AskAsync(user.Token, "What is 30 + 1?");

        var response = await _client.GraphQLAsync(user.Token, $"query($id: ID!) {{ interaction(id: $id) {{ {InteractionFields} }} }}", new { id });

        var interaction = response.GetProperty("data").GetProperty("interaction");
        Assert.That(interaction.GetProperty("id").GetString(), Is.EqualTo(id.ToString()));
        Assert.That(interaction.GetProperty("title").GetString(), Is.EqualTo("What is 30 + 1?"));
        Assert.That(interaction.GetProperty("is_pinned").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Messages_Query_NewestFirstWithLimitAndOffset()
    {
        var user = await _client.RegisterAsync();
        var (id, events) = await _client.AskAsync(user.Token, "What is 40 + 2?");

        var all = await _client.GraphQLAsync(user.Token,
            $"{{ messages(id: \"{id}\") {{ id role content status tokens_used points_cost media {{ id file_type file_url }} created_at }} }}");
        var second = await _client.GraphQLAsync(user.Token, $"{{ messages(id: \"{id}\", limit: 1, offset: 1) {{ role content }} }}");

        var messages = all.GetProperty("data").GetProperty("messages").EnumerateArray().ToList();
        Assert.That(messages.Select(m => m.GetProperty("role").GetString()), Is.EqualTo(new[] { "assistant", "user" }));
        Assert.That(messages[0].GetProperty("content").GetString(), Is.EqualTo(events[^1].Str("content")));
        Assert.That(messages[0].GetProperty("status").GetString(), Is.EqualTo("completed"));
        Assert.That(messages[0].GetProperty("points_cost").GetInt32(), Is.EqualTo(events[^1].Int("points_cost")));
        Assert.That(messages[0].GetProperty("tokens_used").GetInt32(), Is.EqualTo(events[^1].Int("tokens_used")));
        Assert.That(messages[0].GetProperty("media").GetArrayLength(), Is.Zero);
        var only = second.GetProperty("data").GetProperty("messages").EnumerateArray().Single();
        Assert.That(only.GetProperty("content").GetString(), Is.EqualTo("What is 40 + 2?"));
    }

    [Test]
    public async Task UpdateInteractionTitleAndPin_Mutations_PersistedAndSeenByRest()
    {
        var user = await _client.RegisterAsync();
        var (older, _) = await _client.AskAsync(user.Token, "What is 50 + 1?");
        await _client.AskAsync(user.Token, "What is 50 + 2?");

        var renamed = await _client.GraphQLAsync(user.Token,
            "mutation($id: ID!) { update_interaction_title(interaction_id: $id, title: \"Fifty one\") { id title summary_title } }", new { id = older });
        var pinned = await _client.GraphQLAsync(user.Token,
            "mutation($id: ID!) { pin_interaction(interaction_id: $id, is_pinned: true) { is_pinned title } }", new { id = older });
        var rest = await _client.GetJsonAsync("/api/interactions", user.Token);

        Assert.That(renamed.GetProperty("data").GetProperty("update_interaction_title").GetProperty("title").GetString(), Is.EqualTo("Fifty one"));
        Assert.That(renamed.GetProperty("data").GetProperty("update_interaction_title").GetProperty("summary_title").GetString(),
            Is.EqualTo("Help with what is 50 + 1?"));
        Assert.That(pinned.GetProperty("data").GetProperty("pin_interaction").GetProperty("is_pinned").GetBoolean(), Is.True);
        var first = rest.GetProperty("items")[0];
        Assert.That(first.GetProperty("id").GetGuid(), Is.EqualTo(older));
        Assert.That(first.GetProperty("title").GetString(), Is.EqualTo("Fifty one"));
        Assert.That(first.GetProperty("is_pinned").GetBoolean(), Is.True);
    }

    [Test]
    public async Task UpdateInteractionTitle_Blank_BadUserInput()
    {
        var user = await _client.RegisterAsync();
        var (id, _) = await _client.AskAsync(user.Token, "What is 50 + 9?");
        var response = await _client.GraphQLAsync(user.Token,
            "mutation($id: ID!) { update_interaction_title(interaction_id: $id, title: \"  \") { title } }", new { id });
        Assert.That(response.ErrorCodes(), Is.EqualTo(new[] { "BAD_USER_INPUT" }));
    }

    [Test]
    public async Task DeleteInteraction_Mutation_TrueAndThreadGone()
    {
        var user = await _client.RegisterAsync();
        var (id, _) = await _client.AskAsync(user.Token, "What is 60 + 1?");

        var response = await _client.GraphQLAsync(user.Token, "mutation($id: ID!) { delete_interaction(interaction_id: $id) }", new { id });
        var messages = await _client.GraphQLAsync(user.Token, $"{{ messages(id: \"{id}\") {{ id }} }}");
        using var rest = await _client.SendAsync(HttpMethod.Get, $"/api/interactions/{id}", user.Token);

        Assert.That(response.GetProperty("data").GetProperty("delete_interaction").GetBoolean(), Is.True);
        Assert.That(messages.ErrorCodes(), Is.EqualTo(new[] { "NOT_FOUND" }));
        Assert.That(rest.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task CancelGeneration_NothingRunning_NotFound()
    {
        var user = await _client.RegisterAsync();
        var (id, _) = await _client.AskAsync(user.Token, "What is 70 + 1?");
        var response = await _client.GraphQLAsync(user.Token, "mutation($id: ID!) { cancel_generation(interaction_id: $id) }", new { id });
        Assert.That(response.ErrorCodes(), Is.EqualTo(new[] { "NOT_FOUND" }));
    }

    [Test]
    public async Task EveryOperation_AnotherUsersThread_NotFound()
    {
        var owner = await _client.RegisterAsync();
        var stranger = await _client.RegisterAsync();
        var (id, _) = await _client.AskAsync(owner.Token, "What is 80 + 1?");

        var operations = new[]
        {
            "query($id: ID!) { interaction(id: $id) { id } }",
            "query($id: ID!) { messages(id: $id) { id } }",
            "mutation($id: ID!) { update_interaction_title(interaction_id: $id, title: \"Mine\") { id } }",
            "mutation($id: ID!) { pin_interaction(interaction_id: $id, is_pinned: true) { id } }",
            "mutation($id: ID!) { delete_interaction(interaction_id: $id) }",
            "mutation($id: ID!) { cancel_generation(interaction_id: $id) }",
            "mutation($id: ID!) { do_conversation(input: { interaction_id: $id, message: \"Hi\" }) { success } }",
        };
        foreach (var operation in operations)
        {
            var response = await _client.GraphQLAsync(stranger.Token, operation, new { id });
            Assert.That(response.ErrorCodes(), Is.EqualTo(new[] { "NOT_FOUND" }), operation);
            Assert.That(response.GetProperty("errors")[0].GetProperty("message").GetString(), Is.EqualTo("No conversation found!"), operation);
        }
        var untouched = await _client.GetJsonAsync($"/api/interactions/{id}", owner.Token);
        Assert.That(untouched.GetProperty("title").GetString(), Is.EqualTo("What is 80 + 1?"));
    }

    [Test]
    public async Task Query_SeveralDatabaseFieldsInOneDocument_AllResolve()
    {
        var user = await _client.RegisterAsync();
        var (id, _) = await _client.AskAsync(user.Token, "What is 90 + 1?");

        var response = await _client.GraphQLAsync(user.Token,
            $"{{ account {{ current_points }} interactions {{ total }} one: interaction(id: \"{id}\") {{ id }} " +
            $"a: messages(id: \"{id}\") {{ id }} b: messages(id: \"{id}\", offset: 1) {{ id }} c: messages(id: \"{id}\") {{ content }} }}");

        Assert.That(response.ErrorCodes(), Is.Empty, response.ToString());
        var data = response.GetProperty("data");
        Assert.That(data.GetProperty("interactions").GetProperty("total").GetInt32(), Is.EqualTo(1));
        Assert.That(data.GetProperty("a").GetArrayLength(), Is.EqualTo(2));
        Assert.That(data.GetProperty("b").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task DoConversation_NewQuestion_ReturnsTheWholeAnswer()
    {
        var user = await _client.RegisterAsync();

        var response = await _client.GraphQLAsync(user.Token,
            "mutation($input: DoConversationInput!) { do_conversation(input: $input) { success message interaction_id is_new_interaction ai_response tokens_used points_cost finish_reason } }",
            new { input = new { message = "What is 12*(3+4)?", max_tokens = 200 } });

        Assert.That(response.ErrorCodes(), Is.Empty, response.ToString());
        var answer = response.GetProperty("data").GetProperty("do_conversation");
        Assert.That(answer.GetProperty("success").GetBoolean(), Is.True);
        Assert.That(answer.GetProperty("is_new_interaction").GetBoolean(), Is.True);
        Assert.That(answer.GetProperty("ai_response").GetString(), Does.Contain("84"));
        Assert.That(answer.GetProperty("finish_reason").GetString(), Is.EqualTo("stop"));
        Assert.That(answer.GetProperty("points_cost").GetInt32(), Is.EqualTo(Math.Max(1, answer.GetProperty("tokens_used").GetInt32() / 100)));
        var id = answer.GetProperty("interaction_id").GetString();
        var followUp = await _client.GraphQLAsync(user.Token,
            "mutation($id: ID) { do_conversation(input: { interaction_id: $id, message: \"And 2+2?\" }) { is_new_interaction interaction_id } }",
            new { id });
        Assert.That(followUp.GetProperty("data").GetProperty("do_conversation").GetProperty("is_new_interaction").GetBoolean(), Is.False);
        Assert.That(followUp.GetProperty("data").GetProperty("do_conversation").GetProperty("interaction_id").GetString(), Is.EqualTo(id));
    }

    [TestCase("{ message: \"\" }", "message")]
    [TestCase("{ message: \"Hi\", max_tokens: 0 }", "max_tokens")]
    [TestCase("{ message: \"Hi\", interaction_id: \"not-an-id\" }", "interaction_id")]
    public async Task DoConversation_InvalidInput_BadUserInputNamingTheField(string input, string field)
    {
        var user = await _client.RegisterAsync();
        var response = await _client.GraphQLAsync(user.Token, $"mutation {{ do_conversation(input: {input}) {{ success }} }}");
        Assert.That(response.ErrorCodes(), Is.EqualTo(new[] { "BAD_USER_INPUT" }), response.ToString());
        Assert.That(response.GetProperty("errors")[0].GetProperty("extensions").GetProperty("errors").TryGetProperty(field, out _), Is.True,
            response.ToString());
    }

    [Test]
    public async Task GraphQL_NoToken_Returns401()
    {
        using var response = await _client.SendGraphQLAsync(null, "{\"query\":\"{ account { id } }\"}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private static Guid[] Ids(JsonElement items) => items.EnumerateArray().Select(i => Guid.Parse(i.GetProperty("id").GetString()!)).ToArray();
}
