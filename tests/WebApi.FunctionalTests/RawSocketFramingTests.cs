using System.Net.Sockets;
using System.Text;
using StudyGuru.WebApi.FunctionalTests.Support;

namespace StudyGuru.WebApi.FunctionalTests;

/// <summary>
/// Against real Kestrel over a raw socket: each write (one or more whole events) is one HTTP/1.1 chunk,
/// so the chunks show that no event is ever split across writes.
/// </summary>
public sealed class RawSocketFramingTests
{
    [Test]
    public async Task StreamConversation_OverKestrel_EachChunkHoldsWholeEventsOnly()
    {
        using var factory = new StudyGuruApiFactory(new Dictionary<string, string?> { ["Ai:Offline:TokenDelayMs"] = "2" });
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        var user = await client.RegisterAsync();
        var address = client.BaseAddress!;

        using var socket = new TcpClient();
        await socket.ConnectAsync(address.Host, address.Port);
        var stream = socket.GetStream();
        var body = "{\"message\":\"What is 9*9?\",\"max_tokens\":80}";
        var request = $"POST /api/stream/stream-conversation HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {user.Token}\r\n" +
                      $"Content-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request));

        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory).WaitAsync(TimeSpan.FromSeconds(30));
        var raw = Encoding.UTF8.GetString(memory.ToArray());
        var headerEnd = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = raw[..headerEnd];
        Assert.That(headers, Does.StartWith("HTTP/1.1 200"));
        Assert.That(headers, Does.Contain("Transfer-Encoding: chunked"));
        Assert.That(headers, Does.Not.Contain("Content-Encoding"));

        var chunks = ParseChunks(raw[(headerEnd + 4)..]);
        var frames = chunks.Where(c => !c.StartsWith(": ping", StringComparison.Ordinal)).ToList();
        Assert.That(frames, Has.Count.GreaterThan(3));
        // Events that are already available when the writer writes share one write; an event is never split.
        foreach (var frame in frames)
        {
            Assert.That(frame, Does.Match(@"^(id: [0-9a-f\-]{36}:\d+\ndata: \{[^\n]*\}\n\n)+$"), "a chunk holds whole events only");
            Assert.That(frame, Does.Not.Contain("event:").And.Not.Contain("retry:"));
        }
        var ids = frames.SelectMany(f => f.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)).Select(e => e[..e.IndexOf('\n')]).ToList();
        Assert.That(ids.Select(id => long.Parse(id[(id.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)),
            Is.EqualTo(Enumerable.Range(1, ids.Count).Select(i => (long)i)), "every event once, in order");
        Assert.That(frames[0], Does.Contain("\"type\":\"metadata\""));
        Assert.That(frames[^1], Does.Contain("\"type\":\"complete\""));
    }

    private static List<string> ParseChunks(string chunked)
    {
        var chunks = new List<string>();
        var position = 0;
        while (position < chunked.Length)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[position..lineEnd].Split(';')[0], 16);
            if (size == 0) break;
            var bytes = Encoding.UTF8.GetBytes(chunked[(lineEnd + 2)..]);
            var chunk = Encoding.UTF8.GetString(bytes, 0, size);
            chunks.Add(chunk);
            position = lineEnd + 2 + chunk.Length + 2;
        }
        return chunks;
    }
}
