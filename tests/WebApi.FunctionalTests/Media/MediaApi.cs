using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests.Media;

/// <summary>The media endpoints as a client uses them: multipart uploads, bearer and signed downloads.</summary>
public static class MediaApi
{
    public sealed record UploadedMedia(Guid MediaId, string FileUrl, string FileType, long Size);

    public static async Task<HttpResponseMessage> PostMediaAsync(
        this HttpClient client, string? token, byte[]? bytes, string fileName = "photo.png", string declaredType = "image/png",
        string? interactionId = null)
    {
        using var form = new MultipartFormDataContent();
        if (bytes is not null)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue(declaredType);
            form.Add(file, "file", fileName);
        }
        if (interactionId is not null) form.Add(new StringContent(interactionId), "interaction_id");
        if (bytes is null && interactionId is null) form.Add(new StringContent("no file here"), "note");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/media") { Content = form };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    public static async Task<UploadedMedia> UploadAsync(this HttpClient client, string token, byte[] bytes, string? interactionId = null)
    {
        using var response = await client.PostMediaAsync(token, bytes, interactionId: interactionId);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new UploadedMedia(
            body.GetProperty("media_id").GetGuid(),
            body.GetProperty("file_url").GetString()!,
            body.GetProperty("file_type").GetString()!,
            body.GetProperty("size").GetInt64());
    }

    /// <summary>GET with an optional bearer token; <paramref name="url"/> may be absolute (a signed <c>file_url</c>).</summary>
    public static Task<HttpResponseMessage> GetMediaAsync(this HttpClient client, string url, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> DeleteMediaAsync(this HttpClient client, Guid mediaId, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/media/{mediaId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    /// <summary>
    /// A signed URL made the documented way (HMAC-SHA256 of "{id:N}.{expires}" under the key derived from
    /// the JWT key), so that tests can sign expiries the server would never hand out.
    /// </summary>
    public static string SignedPath(Guid mediaId, long expiresUnixSeconds)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestTokens.SigningKey), "studyguru-media-urls"u8);
        var signature = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{mediaId:N}.{expiresUnixSeconds}"));
        return $"/api/media/{mediaId}?expires={expiresUnixSeconds}&sig={System.Buffers.Text.Base64Url.EncodeToString(signature)}";
    }

    /// <summary>Every file under the factory's Media:Root (none when the folder was never created).</summary>
    public static string[] StoredFiles(this StudyGuruApiFactory factory)
    {
        var root = Path.Combine(factory.DataDirectory, "media");
        return Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories) : [];
    }

    public static async Task<JsonElement> ReadProblemAsync(this HttpResponseMessage response, int expectedStatus)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(expectedStatus), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(expectedStatus));
        return problem;
    }
}
