using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StudyGuru.WebApi.FunctionalTests.Media;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Hostile;

/// <summary>
/// Hostile input derived from the served OpenAPI document: for every operation, malformed values for each
/// path, query and header parameter, each body field (wrong types, nulls, huge strings, lone surrogates, deep
/// nesting, out-of-range numbers, other users' ids) and the body as a whole, plus bad tokens. Every answer must
/// be below 500, every error a problem body, and no request whose refusal was due may start a stream. New
/// operations are covered as soon as they appear in the document.
/// </summary>
public sealed class OpenApiHostileInputTests
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private StudyGuruApiFactory _factory = null!;
    private HttpClient _client = null!;
    private JsonNode _document = null!;
    private ApiClient.RegisteredUser _student = null!;
    private Fixture _own = null!;
    private Fixture _other = null!;

    /// <summary>Ids that exist: a thread with an ended generation and an uploaded image.</summary>
    private sealed record Fixture(Guid UserId, Guid InteractionId, Guid GenerationId, Guid MediaId);

    /// <param name="RefusalDue">The value is malformed for the contract: a 200 stream (or any 2xx) is a failure.</param>
    private sealed record HostileCase(
        string Description, HttpMethod Method, string Url, HttpContent? Content, IReadOnlyDictionary<string, string> Headers,
        bool RefusalDue, string? Token);

    [OneTimeSetUp]
    public async Task StartApi()
    {
        _factory = new StudyGuruApiFactory();
        _client = _factory.CreateClient();
        _client.Timeout = RequestTimeout;
        _document = JsonNode.Parse(await _client.GetStringAsync("/openapi/v1.json"))!;
        _student = await _client.RegisterAsync();
        _own = await CreateFixtureAsync(_student);
        _other = await CreateFixtureAsync(await _client.RegisterAsync());
    }

    [OneTimeTearDown]
    public void StopApi()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task EveryOperation_MalformedInput_NeverA5xxAlwaysAProblemNeverAStreamWhereARefusalWasDue()
    {
        var cases = Operations().SelectMany(o => CasesFor(o.Path, o.Method, o.Operation)).ToList();
        var failures = new List<string>();
        var watch = Stopwatch.StartNew();
        foreach (var hostile in cases)
        {
            var failure = await RunAsync(hostile);
            if (failure is not null) failures.Add($"{hostile.Method} {Shorten(hostile.Url)} [{hostile.Description}]: {failure}");
        }
        TestContext.Out.WriteLine($"{cases.Count} hostile requests over {Operations().Count()} operations in {watch.Elapsed.TotalSeconds:F1} s");

        Assert.That(cases, Has.Count.GreaterThan(600), "the document should yield many hostile requests");
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(40)));
    }

    private async Task<string?> RunAsync(HostileCase hostile)
    {
        using var request = new HttpRequestMessage(hostile.Method, hostile.Url) { Content = hostile.Content };
        if (hostile.Token is not null) request.Headers.TryAddWithoutValidation("Authorization", hostile.Token);
        request.Headers.Accept.ParseAdd("text/event-stream");
        foreach (var (name, value) in hostile.Headers) request.Headers.TryAddWithoutValidation(name, value);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (TaskCanceledException)
        {
            return $"no response within {RequestTimeout.TotalSeconds} s";
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType == "text/event-stream")
            {
                if (hostile.RefusalDue) return $"a {status} stream where a refusal was due";
                return await CheckStreamAsync(response);
            }
            var body = await response.Content.ReadAsStringAsync();
            if (status >= 500) return $"{status}: {Shorten(body)}";
            if (hostile.RefusalDue && status < 300 && !IsGraphQLErrorResponse(hostile, body)) return $"{status} where a refusal was due: {Shorten(body)}";
            if (status < 400) return null;
            if (mediaType != "application/problem+json") return $"{status} as {mediaType ?? "no content type"}: {Shorten(body)}";
            try
            {
                var problem = JsonDocument.Parse(body).RootElement;
                return problem.TryGetProperty("status", out var s) && s.GetInt32() == status ? null : $"{status} with a problem body of another status: {Shorten(body)}";
            }
            catch (JsonException)
            {
                return $"{status} with a body that is not JSON: {Shorten(body)}";
            }
        }
    }

    /// <summary>
    /// An accepted stream must end, with exactly one terminal event: <c>complete</c> or <c>error</c>, or in the AI
    /// SDK's format <c>finish</c> or <c>error</c> (whose stream then closes with <c>[DONE]</c>, which is not JSON).
    /// </summary>
    private static async Task<string?> CheckStreamAsync(HttpResponseMessage response)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        var terminals = 0;
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]") continue;
                using var data = JsonDocument.Parse(line["data: ".Length..]);
                if (data.RootElement.TryGetProperty("type", out var type) && type.GetString() is "complete" or "error" or "finish")
                    terminals++;
            }
        }
        catch (OperationCanceledException)
        {
            return "a stream that did not end";
        }
        return terminals == 1 ? null : $"a stream with {terminals} terminal events";
    }

    /// <summary>GraphQL reports bad documents as 200 with <c>errors</c> (its protocol): a refusal all the same.</summary>
    private static bool IsGraphQLErrorResponse(HostileCase hostile, string body) =>
        hostile.Url.StartsWith("/graphql", StringComparison.Ordinal) && body.Contains("\"errors\"", StringComparison.Ordinal);

    private IEnumerable<HostileCase> CasesFor(string path, string method, JsonObject operation)
    {
        var httpMethod = new HttpMethod(method.ToUpperInvariant());
        var parameters = operation["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
        var pathParameters = parameters.Where(p => (string?)p["in"] == "path").ToList();
        var queryParameters = parameters.Where(p => (string?)p["in"] == "query").ToList();
        var headerParameters = parameters.Where(p => (string?)p["in"] == "header").Select(p => (string)p["name"]!).ToList();
        var secured = operation["security"]?.AsArray().FirstOrDefault()?.AsObject().Count > 0;
        var token = $"Bearer {_student.Token}";
        var pathValues = pathParameters.ToDictionary(p => (string)p["name"]!, p => OwnIdFor(path, (string)p["name"]!));
        var baseBody = BaselineBody(operation);

        string Url(IReadOnlyDictionary<string, string> values, string query = "")
        {
            var url = path;
            foreach (var (name, value) in values) url = url.Replace("{" + name + "}", value, StringComparison.Ordinal);
            return url + query;
        }
        HttpContent? BaseContent() => baseBody?.Invoke();
        var noHeaders = new Dictionary<string, string>();

        foreach (var parameter in pathParameters)
        {
            var name = (string)parameter["name"]!;
            foreach (var (value, due) in PathValues(Resolve(parameter["schema"])))
            {
                var values = new Dictionary<string, string>(pathValues) { [name] = value };
                yield return new HostileCase($"path {name}={Shorten(value)}", httpMethod, Url(values), BaseContent(), noHeaders, due, token);
            }
            var others = new Dictionary<string, string>(pathValues) { [name] = OtherIdFor(path, name) };
            yield return new HostileCase($"path {name}=another user's id", httpMethod, Url(others), BaseContent(), noHeaders, RefusalDue: true, token);
        }

        foreach (var parameter in queryParameters)
        {
            var name = (string)parameter["name"]!;
            var schema = Resolve(parameter["schema"]);
            foreach (var (value, due) in QueryValues(schema))
                yield return new HostileCase($"query {name}={Shorten(value)}", httpMethod, Url(pathValues, $"?{name}={value}"), BaseContent(), noHeaders, due, token);
        }

        if (headerParameters.Contains("Last-Event-ID"))
        {
            foreach (var (value, due) in LastEventIds())
                yield return new HostileCase($"Last-Event-ID {value}", httpMethod, Url(pathValues), BaseContent(),
                    new Dictionary<string, string> { ["Last-Event-ID"] = value }, due, token);
        }

        if (secured)
        {
            foreach (var bad in BadAuthorizations())
                yield return new HostileCase($"authorization {Shorten(bad ?? "none")}", httpMethod, Url(pathValues), BaseContent(), noHeaders, RefusalDue: true, bad);
            if (httpMethod == HttpMethod.Get && path.StartsWith("/api/stream/", StringComparison.Ordinal))
                yield return new HostileCase("access_token=garbage", httpMethod, Url(pathValues, "?access_token=garbage.token.value"), null, noHeaders, RefusalDue: true, null);
        }

        var content = operation["requestBody"]?["content"]?.AsObject();
        if (content is null && baseBody is not null)
        {
            foreach (var (raw, contentType, due) in WholeJsonBodies(new JsonObject { ["query"] = "{ account { id } }" }))
                yield return new HostileCase($"body {Shorten(raw)} as {contentType ?? "no content type"}", httpMethod, Url(pathValues),
                    Raw(raw, contentType), noHeaders, due, token);
        }
        if (content is null) yield break;
        if (content.ContainsKey("application/json"))
        {
            var schema = Resolve(content["application/json"]!["schema"]);
            var example = content["application/json"]!["example"]?.DeepClone().AsObject() ?? new JsonObject();
            foreach (var (field, fieldSchema) in Properties(schema))
            {
                foreach (var (literal, due) in JsonValuesFor(fieldSchema, field))
                {
                    var body = (JsonObject)example.DeepClone();
                    body[field] = null;
                    var json = body.ToJsonString().Replace($"\"{field}\":null", $"\"{field}\":{literal}", StringComparison.Ordinal);
                    yield return new HostileCase($"body {field}={Shorten(literal)}", httpMethod, Url(pathValues), Json(json), noHeaders, due, token);
                }
                foreach (var (nested, nestedSchema) in ArrayItemProperties(fieldSchema))
                foreach (var (literal, due) in JsonValuesFor(nestedSchema, nested))
                {
                    var body = (JsonObject)example.DeepClone();
                    body[field] = new JsonArray(new JsonObject { [nested] = null });
                    var json = body.ToJsonString().Replace($"[{{\"{nested}\":null}}]", $"[{{\"{nested}\":{literal}}}]", StringComparison.Ordinal);
                    yield return new HostileCase($"body {field}[0].{nested}={Shorten(literal)}", httpMethod, Url(pathValues),
                        Json(json), noHeaders, due, token);
                }
            }
            foreach (var (raw, contentType, due) in WholeJsonBodies(example))
                yield return new HostileCase($"body {Shorten(raw)} as {contentType ?? "no content type"}", httpMethod, Url(pathValues),
                    Raw(raw, contentType), noHeaders, due, token);
        }
        if (content.ContainsKey("multipart/form-data"))
        {
            foreach (var (description, multipart) in HostileUploads())
                yield return new HostileCase(description, httpMethod, Url(pathValues), multipart, noHeaders, RefusalDue: true, token);
        }
    }

    /// <summary>The body an operation without a JSON body schema sends anyway (GraphQL reads its body itself).</summary>
    private static Func<HttpContent>? BaselineBody(JsonObject operation) =>
        (string?)operation["operationId"] == "ExecuteGraphQL" ? () => Json("{\"query\":\"{ account { id } }\"}") : null;

    private string OwnIdFor(string path, string name) => IdFor(_own, path, name);

    private string OtherIdFor(string path, string name) => IdFor(_other, path, name);

    private static string IdFor(Fixture fixture, string path, string name) => name switch
    {
        "userId" => fixture.UserId.ToString(),
        "generationId" => fixture.GenerationId.ToString(),
        _ when path.StartsWith("/api/media", StringComparison.Ordinal) => fixture.MediaId.ToString(),
        _ => fixture.InteractionId.ToString(),
    };

    /// <summary>
    /// Malformed path values. Against a UUID parameter each one is due a refusal; against a free-form id (a chat
    /// id) only those that break its documented pattern or length are, the others may name nothing (204/404).
    /// </summary>
    /// <remarks>No encoded NUL: the web server refuses it in a path before the application sees the request.</remarks>
    private static IEnumerable<(string Value, bool Due)> PathValues(JsonObject schema)
    {
        var uuid = (string?)schema["format"] == "uuid";
        var pattern = (string?)schema["pattern"] is { } p ? new System.Text.RegularExpressions.Regex(p) : null;
        var maxLength = (int?)schema["maxLength"];
        bool Due(string value)
        {
            if (uuid) return true;
            var decoded = Uri.UnescapeDataString(value);
            return pattern is not null && !pattern.IsMatch(decoded) || decoded.Length > maxLength;
        }
        string[] values =
        [
            "not-a-guid", "0", "-1", "%ED%A0%80", "%F0%9F%98%80", new string('9', 300), "..%2F..%2Fetc%2Fpasswd", "'%20OR%201=1--",
            "00000000-0000-0000-0000-000000000000", Guid.NewGuid().ToString(), $"{{{Guid.NewGuid()}}}",
        ];
        return values.Select(value => (value, Due(value)));
    }

    private static IEnumerable<(string Value, bool Due)> QueryValues(JsonObject schema)
    {
        var types = TypesOf(schema);
        var int32 = (string?)schema["format"] == "int32";
        // "0x10" is not due: the framework's query binding reads hexadecimal integers (it is 16, a harmless value).
        if (types.Contains("integer"))
            return [("abc", true), ("-1", false), ("0", false), ("2147483647", false), ("2147483648", int32),
                ("99999999999999999999", true), ("1.5", true), ("1e3", true), ("", false), ("%00", true), ("0x10", false), ("%E2%80%AE1", true)];
        return [("", false), (new string('x', 3000), false), ("%ED%A0%80", false), ("%00", false), ("%E2%80%AE", false),
            (Uri.EscapeDataString("{\"$where\":1}"), false), (Uri.EscapeDataString(new string('[', 500)), false)];
    }

    private IEnumerable<(string Value, bool Due)> LastEventIds() =>
    [
        ("x", true), (":", true), ($"{_own.GenerationId}:abc", true), ($"{_own.GenerationId}:-1", true),
        ($"{_own.GenerationId}:99999999999999999999", true), ($"{_own.GenerationId}:9223372036854775807", true),
        ($"{_other.GenerationId}:1", true), ($"{Guid.NewGuid()}:1", true), ($"{_own.GenerationId}:1:2", true),
    ];

    private IEnumerable<string?> BadAuthorizations()
    {
        var unsigned = Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64Url($"{{\"sub\":\"{_student.Id}\",\"iss\":\"studyguru\",\"aud\":\"studyguru-clients\",\"exp\":4102444800}}") + ".";
        return
        [
            null, "Bearer", "Bearer garbage", $"Bearer {unsigned}", "Basic YWRtaW46YWRtaW4=",
            $"Bearer {TestTokens.Mint(_student.Id, key: "another-signing-key-0123456789abcdefgh")}",
            $"Bearer {TestTokens.Mint(_student.Id, expires: DateTime.UtcNow.AddMinutes(-1))}",
            $"Bearer {TestTokens.Mint(Guid.NewGuid())}", $"Bearer {new string('a', 20_000)}",
        ];
    }

    /// <summary>JSON literals for one field; due when the literal's JSON type is not one the schema allows.</summary>
    private static IEnumerable<(string Literal, bool Due)> JsonValuesFor(JsonObject schema, string field)
    {
        var types = TypesOf(schema);
        var int32 = (string?)schema["format"] == "int32";
        bool Due(string jsonType) => !types.Contains(jsonType) && !(jsonType == "integer" && types.Contains("number"));
        yield return ("null", Due("null"));
        yield return ("true", Due("boolean"));
        yield return ("0", Due("integer"));
        yield return ("-1", Due("integer"));
        yield return ("2147483648", Due("integer") || int32);
        yield return ("-9223372036854775809", Due("integer") || int32 || types.Contains("integer"));
        yield return ("1.5", Due("number") || types.Contains("integer") && !types.Contains("number"));
        yield return ("1e400", true);
        yield return ("\"\"", Due("string"));
        yield return ("\"not-a-guid\"", Due("string"));
        yield return ("\"\\ud800\"", Due("string"));
        yield return ("\"\\u0000\\u202e\"", Due("string"));
        yield return ($"\"{new string('x', 9_000)}\"", Due("string"));
        yield return ($"\"{new string('x', 70_000)}\"", true); // over the body limit: 413
        yield return ("\"12\"", Due("string"));
        yield return ("[]", Due("array"));
        yield return ("[null]", true);
        yield return ("[1,\"a\",{}]", true);
        yield return ("{}", Due("object"));
        yield return (new string('[', 200) + new string(']', 200), true);
        yield return ("{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 101), true);
        yield return ($"\"{Guid.Empty}\"", Due("string"));
        if (field.EndsWith("id", StringComparison.Ordinal)) yield return ($"\"{Guid.NewGuid()}\"", Due("string"));
    }

    private static IEnumerable<(string Raw, string? ContentType, bool Due)> WholeJsonBodies(JsonObject example) =>
    [
        ("", "application/json", true), ("null", "application/json", true), ("[]", "application/json", true),
        ("{", "application/json", true), ("\"text\"", "application/json", true), ("42", "application/json", true),
        ("{\"unknown_field\":1}", "application/json", true), ("{\"a\":1,\"a\":2}", "application/json", true),
        (new string('[', 5_000) + new string(']', 5_000), "application/json", true),
        ("\u00ff\u00fe{}", "application/json", true),
        (example.ToJsonString(), "text/plain", true), (example.ToJsonString(), "application/x-www-form-urlencoded", true),
        (example.ToJsonString(), null, false),
        ("{\"query\":\"{ account { id } }\",\"variables\":5}", "application/json", true),
        ("[{\"query\":\"{ account { id } }\"}]", "application/json", true),
    ];

    private static IEnumerable<(string Description, HttpContent Content)> HostileUploads()
    {
        yield return ("multipart without a file", new MultipartFormDataContent { { new StringContent("x"), "note" } });
        var text = new ByteArrayContent(Encoding.UTF8.GetBytes("not an image at all"));
        text.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        yield return ("multipart with text declared as PNG", new MultipartFormDataContent { { text, "file", "a.png" } });
        var empty = new ByteArrayContent([]);
        yield return ("multipart with an empty file", new MultipartFormDataContent { { empty, "file", "a.png" } });
        var truncated = new ByteArrayContent(ImageSamples.TruncatedPng());
        yield return ("multipart with a truncated PNG", new MultipartFormDataContent { { truncated, "file", "a.png" }, { new StringContent("not-a-guid"), "interaction_id" } });
        yield return ("JSON instead of multipart", Json("{\"file\":\"iVBORw0KGgo=\"}"));
        var broken = new StringContent("--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc", Encoding.UTF8);
        broken.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
        yield return ("multipart without a closing boundary", broken);
        var noBoundary = new StringContent("abc", Encoding.UTF8);
        noBoundary.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");
        yield return ("multipart without a boundary", noBoundary);
    }

    private IEnumerable<(string Name, JsonObject Schema)> Properties(JsonObject schema) =>
        schema["properties"]?.AsObject().Select(p => (p.Key, Resolve(p.Value))) ?? [];

    private IEnumerable<(string Name, JsonObject Schema)> ArrayItemProperties(JsonObject schema) =>
        TypesOf(schema).Contains("array") && schema["items"] is { } items ? Properties(Resolve(items)) : [];

    private JsonObject Resolve(JsonNode? schema)
    {
        var node = schema?.AsObject() ?? new JsonObject();
        while (node["$ref"] is { } reference)
        {
            var name = ((string)reference!).Split('/')[^1];
            node = _document["components"]!["schemas"]![name]!.AsObject();
        }
        return node;
    }

    private static HashSet<string> TypesOf(JsonObject schema) => schema["type"] switch
    {
        JsonArray array => array.Select(t => (string)t!).ToHashSet(),
        JsonValue value => [(string)value!],
        _ => schema["properties"] is not null ? ["object"] : [],
    };

    private IEnumerable<(string Path, string Method, JsonObject Operation)> Operations() =>
        _document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(op => op.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(op => (path.Key, op.Key, op.Value!.AsObject())));

    private async Task<Fixture> CreateFixtureAsync(ApiClient.RegisteredUser user)
    {
        var events = await _client.StreamAsync(user.Token, new { message = "What is 2+2?" });
        var metadata = events[0];
        var media = await _client.UploadAsync(user.Token, ImageSamples.Png());
        return new Fixture(user.Id, Guid.Parse(metadata.Str("interaction_id")!), Guid.Parse(metadata.Str("generation_id")!), media.MediaId);
    }

    private static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    private static HttpContent Raw(string raw, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(raw));
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
