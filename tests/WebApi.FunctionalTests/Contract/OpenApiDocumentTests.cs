using System.Text.Json.Nodes;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Contract;

/// <summary>
/// The OpenAPI document describes what is on the wire. The test also saves it to artifacts/openapi.json,
/// where scripts/check-openapi.sh lints it and generates TypeScript types from it.
/// </summary>
public sealed class OpenApiDocumentTests
{
    private static readonly string[] StreamOperations = ["StreamConversation", "StreamSimple", "ResumeGeneration"];
    private static readonly string[] AnonymousOperations = ["Register", "Login", "StreamHealth"];

    private StudyGuruApiFactory _factory = null!;
    private JsonNode _document = null!;

    [OneTimeSetUp]
    public async Task FetchDocument()
    {
        _factory = new StudyGuruApiFactory();
        using var client = _factory.CreateClient();
        var text = await client.GetStringAsync("/openapi/v1.json");
        await File.WriteAllTextAsync(Path.Combine(RepositoryPaths.Artifacts, "openapi.json"), text);
        _document = JsonNode.Parse(text)!;
    }

    [OneTimeTearDown]
    public void StopApi() => _factory.Dispose();

    [Test]
    public void Document_Version_IsOpenApi31WithLicenseAndServerWithoutTrailingSlash()
    {
        Assert.That((string?)_document["openapi"], Does.StartWith("3.1"));
        Assert.That((string?)_document["info"]?["license"]?["name"], Is.Not.Empty);
        foreach (var server in _document["servers"]?.AsArray() ?? [])
            Assert.That((string?)server!["url"], Does.Not.EndWith("/"));
    }

    [Test]
    public void Operations_All_HaveOperationIdSummaryAndSecurity()
    {
        foreach (var (path, method, operation) in Operations())
        {
            Assert.That((string?)operation["operationId"], Is.Not.Empty, $"{method} {path}");
            Assert.That((string?)operation["summary"], Is.Not.Empty, $"{method} {path}");
            var security = operation["security"]?.AsArray();
            Assert.That(security, Is.Not.Null.And.Not.Empty, $"{method} {path} has no security");
            var anonymous = AnonymousOperations.Contains((string?)operation["operationId"]);
            var requirement = security![0]!.AsObject();
            if (anonymous) Assert.That(requirement, Is.Empty, $"{method} {path} should be anonymous");
            else Assert.That(requirement.ContainsKey("Bearer"), Is.True, $"{method} {path} should need the bearer token");
        }
    }

    [Test]
    public void Components_BearerScheme_IsHttpBearerJwt()
    {
        var scheme = _document["components"]!["securitySchemes"]!["Bearer"]!;
        Assert.That((string?)scheme["type"], Is.EqualTo("http"));
        Assert.That((string?)scheme["scheme"], Is.EqualTo("bearer"));
    }

    [Test]
    public void Tags_All_HaveDescriptions()
    {
        var tags = _document["tags"]!.AsArray();
        Assert.That(tags, Is.Not.Empty);
        foreach (var tag in tags) Assert.That((string?)tag!["description"], Is.Not.Empty, (string?)tag["name"]);
    }

    [Test]
    public void RequestBodies_All_HaveAnExample()
    {
        foreach (var (path, method, operation) in Operations())
        {
            if (operation["requestBody"]?["content"] is not JsonObject content) continue;
            foreach (var (mediaType, media) in content)
                Assert.That(media!["example"], Is.Not.Null, $"{method} {path} {mediaType} has no example");
        }
    }

    [Test]
    public void ErrorResponses_All_AreProblemJson()
    {
        foreach (var (path, method, operation) in Operations())
        foreach (var (status, response) in operation["responses"]!.AsObject())
        {
            if (!status.StartsWith('4') && !status.StartsWith('5')) continue;
            var content = response!["content"]?.AsObject();
            Assert.That(content?.ContainsKey("application/problem+json"), Is.True, $"{method} {path} {status}");
        }
    }

    [Test]
    public void StreamResponses_Schema_IsOneSchemaPerEventDiscriminatedByType()
    {
        foreach (var (path, method, operation) in Operations().Where(o => StreamOperations.Contains((string?)o.Operation["operationId"])))
        {
            var ok = operation["responses"]!["200"]!;
            Assert.That((string?)ok["description"], Does.Contain("id: ").And.Contain(": ping").And.Contain("204"), $"{method} {path}");
            var schema = ok["content"]!["text/event-stream"]!["schema"]!;
            var types = EventTypes(schema);
            Assert.That(types, Does.Contain("token").And.Contain("complete").And.Contain("error"), $"{method} {path}");
            Assert.That(types.Intersect(["metadata", "start"]), Is.Not.Empty, $"{method} {path}");
            Assert.That(schema.ToJsonString(), Does.Not.Contain("SseItem"));
        }
        Assert.That(_document.ToJsonString(), Does.Not.Contain("SseItem"));
    }

    [Test]
    public void Integers_AreDocumentedAsIntegersOnly()
    {
        var request = Component("StreamConversationRequest");
        var maxTokens = request["properties"]!["max_tokens"]!;
        Assert.That(maxTokens.ToJsonString(), Does.Contain("integer").And.Not.Contain("\"string\""));
    }

    private JsonNode Component(string name) =>
        _document["components"]!["schemas"]![name] ?? throw new AssertionException($"No component schema {name}.");

    /// <summary>The single value of <c>type</c> of every event schema a stream schema can be, following references.</summary>
    private List<string> EventTypes(JsonNode schema)
    {
        if (schema["$ref"] is { } reference)
            return EventTypes(Component(((string)reference!).Split('/')[^1]));
        var branches = (schema["oneOf"] ?? schema["anyOf"])?.AsArray();
        if (branches is not null) return branches.SelectMany(b => EventTypes(b!)).ToList();
        Assert.That(schema["required"]?.AsArray().Select(r => (string?)r), Does.Contain("type"));
        var type = schema["properties"]!["type"]!;
        var values = type["const"] is { } single ? [single] : type["enum"]!.AsArray().ToList();
        Assert.That(values, Has.Count.EqualTo(1), type.ToJsonString());
        return [(string)values[0]!];
    }

    private IEnumerable<(string Path, string Method, JsonObject Operation)> Operations()
    {
        foreach (var (path, item) in _document["paths"]!.AsObject())
        foreach (var (method, operation) in item!.AsObject())
            if (operation is JsonObject op && method is "get" or "post" or "put" or "patch" or "delete")
                yield return (path, method, op);
    }
}
