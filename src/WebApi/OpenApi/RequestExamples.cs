namespace StudyGuru.WebApi.OpenApi;

/// <summary>One realistic example per request body type, by the type's name (the JSON exactly as a client sends it).</summary>
public static class RequestExamples
{
    private static readonly Dictionary<string, string> ByTypeName = new(StringComparer.Ordinal)
    {
        ["StreamConversationRequest"] = """{"interaction_id":null,"message":"What is 12*(3+4)?","media_files":[],"max_tokens":200}""",
        ["RegisterRequest"] = """{"email":"ada@example.com","password":"secret123","first_name":"Ada","last_name":"Lovelace"}""",
        ["LoginRequest"] = """{"email":"ada@example.com","password":"secret123"}""",
        ["CreditPointsRequest"] = """{"points":100,"description":"Top-up: 100 points purchased"}""",
        ["ChatRequestBody"] = """{"id":"k3Jd82mQpX1aZ9Lw","messages":[{"id":"Vq1ZsY0aP2cHq7Rt","role":"user","parts":[{"type":"text","text":"What is 12*(3+4)?"}]}],"trigger":"submit-message"}""",
        ["UpdateInteractionRequest"] = """{"title":"Fractions homework","is_pinned":true}""",
    };

    public static string? For(string typeName) => ByTypeName.GetValueOrDefault(typeName);
}
