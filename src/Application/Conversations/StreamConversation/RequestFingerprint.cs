using System.Security.Cryptography;
using System.Text;

namespace StudyGuru.Application.Conversations.StreamConversation;

/// <summary>
/// What makes two requests "the same request" for idempotency: the fields as sent (null equal to
/// absent) and the endpoint. Hashed, so the stored value carries no message text.
/// </summary>
public static class RequestFingerprint
{
    public static string Compute(StreamConversationQuery query)
    {
        var text = new StringBuilder()
            .Append(query.Format).Append('\u001f')
            .Append(query.InteractionId).Append('\u001f')
            .Append(query.Message).Append('\u001f')
            .Append(query.MaxTokens).Append('\u001f');
        foreach (var file in query.MediaFiles ?? []) text.Append(file.Id).Append('\u001e');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
