using System.Buffers.Binary;

namespace StudyGuru.Infrastructure.Media.Images;

/// <summary>
/// WebP: a RIFF container whose declared size matches the file, holding WEBP chunks that exactly fill
/// it; the first is VP8 (lossy), VP8L (lossless) or VP8X (extended), and some chunk carries a frame
/// with its codec's signature.
/// </summary>
internal static class WebPStructure
{
    public const string MediaType = "image/webp";

    private const int RiffHeader = 12; // "RIFF", size, "WEBP"
    private const int ChunkHeader = 8; // FourCC, size

    public static bool HasSignature(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= RiffHeader && bytes.StartsWith("RIFF"u8) && bytes.Slice(8, 4).SequenceEqual("WEBP"u8);

    public static bool IsWellFormed(ReadOnlySpan<byte> bytes)
    {
        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if ((long)riffSize + 8 != bytes.Length) return false;

        var offset = RiffHeader;
        var first = true;
        var sawFrame = false;
        while (offset < bytes.Length)
        {
            if (offset + ChunkHeader > bytes.Length) return false;
            var fourCc = bytes.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(offset + 4)..]);
            if (size > (uint)(bytes.Length - offset - ChunkHeader)) return false;
            var data = bytes.Slice(offset + ChunkHeader, (int)size);

            if (first && !(fourCc.SequenceEqual("VP8 "u8) || fourCc.SequenceEqual("VP8L"u8) || fourCc.SequenceEqual("VP8X"u8)))
                return false;
            if (fourCc.SequenceEqual("VP8 "u8))
                sawFrame |= data.Length >= 10 && data[3] == 0x9D && data[4] == 0x01 && data[5] == 0x2A; // key frame start code
            else if (fourCc.SequenceEqual("VP8L"u8))
                sawFrame |= data.Length >= 5 && data[0] == 0x2F; // lossless signature byte
            else if (fourCc.SequenceEqual("ANMF"u8))
                sawFrame = true;
            else if (fourCc.SequenceEqual("VP8X"u8) && data.Length != 10)
                return false; // VP8X's header has a fixed size

            first = false;
            offset += ChunkHeader + (int)size + (int)(size & 1); // chunks are padded to an even size
        }
        return offset == bytes.Length && sawFrame;
    }
}
