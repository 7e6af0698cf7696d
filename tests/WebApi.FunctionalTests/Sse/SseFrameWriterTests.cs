using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using StudyGuru.Application.Conversations.StreamConversation;
using StudyGuru.Domain.Generations;
using StudyGuru.WebApi.Sse;

namespace StudyGuru.WebApi.FunctionalTests.Sse;

/// <summary>A token's frame is written by hand; its bytes must be exactly what the wire record serializes to.</summary>
public sealed class SseFrameWriterTests
{
    private static readonly JsonSerializerOptions WireOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly string[] Contents =
        ["12", " ×", " word", "", "\"quoted\"", "back\\slash", "line\nbreak\ttab\r", "<b>&amp;</b>", "emoji 😀", "Explícamelo", "\u0001\u001f", "'"];

    private static readonly long[] Milliseconds =
        [1_732_412_345_123, 1_732_412_345_120, 1_732_412_345_100, 1_732_412_345_000, 1_732_412_345_001, 1_732_412_345_010,
         0, 1, 999, 1_000, 9_999_999_999_999, 253_402_300_799_999, -1_500];

    [Test]
    public void TokenFrame_AnyContentAndTime_SameBytesAsTheSerializedWireRecord()
    {
        // Two generations in turn: the frame's id is never another generation's.
        Guid[] generations = [Guid.CreateVersion7(), Guid.CreateVersion7()];
        var turn = 0;
        foreach (var content in Contents)
        foreach (var milliseconds in Milliseconds)
        {
            var generationId = generations[turn++ % 2];
            var time = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
            var item = new GenerationEvent(generationId, 7, GenerationFormat.Conversation, new TokenEvent(content, time));
            var expected = $"id: {generationId}:7\ndata: "
                + JsonSerializer.Serialize(new TokenWireEvent(content, milliseconds / 1000.0), WireOptions) + "\n\n";

            var buffer = new ArrayBufferWriter<byte>();
            SseFrameWriter.Write(buffer, item);

            Assert.That(Encoding.UTF8.GetString(buffer.WrittenSpan), Is.EqualTo(expected), $"{content} at {milliseconds} ms");
            Assert.That(Encoding.UTF8.GetString(item.EncodedAs(SseFrameWriter.WireFormat).Span), Is.EqualTo(expected));
        }
    }

    [Test]
    public void UnixSeconds_ThreeDecimalsAtMost_FormattedLikeTheDouble()
    {
        Span<byte> digits = stackalloc byte[32];
        for (var milliseconds = 1_732_412_340_000L; milliseconds < 1_732_412_350_000L; milliseconds += 7)
        {
            Assert.That(WireEventMapper.TryFormatUnixSeconds(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds), digits, out var written), Is.True);
            var expected = (milliseconds / 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(Encoding.ASCII.GetString(digits[..written]), Is.EqualTo(expected), $"{milliseconds} ms");
        }
    }
}
