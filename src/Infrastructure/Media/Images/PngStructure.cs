using System.Buffers.Binary;

namespace StudyGuru.Infrastructure.Media.Images;

/// <summary>
/// PNG: the signature, then chunks (length, type, data, CRC) that must start with a 13-byte IHDR of a
/// non-empty image, carry image data, and reach IEND, each with a correct CRC.
/// </summary>
internal static class PngStructure
{
    public const string MediaType = "image/png";

    private const int ChunkOverhead = 12; // length + type + CRC

    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool HasSignature(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Signature);

    public static bool IsWellFormed(ReadOnlySpan<byte> bytes)
    {
        var offset = Signature.Length;
        var sawHeader = false;
        var sawData = false;
        while (offset + ChunkOverhead <= bytes.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(bytes[offset..]);
            if (length > (uint)(bytes.Length - offset - ChunkOverhead)) return false;
            var type = bytes.Slice(offset + 4, 4);
            var data = bytes.Slice(offset + 8, (int)length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(bytes[(offset + 8 + (int)length)..]);
            if (Crc32.Compute(bytes.Slice(offset + 4, 4 + (int)length)) != crc) return false;

            if (!sawHeader)
            {
                if (!type.SequenceEqual("IHDR"u8) || length != 13) return false;
                var width = BinaryPrimitives.ReadUInt32BigEndian(data);
                var height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
                if (width == 0 || height == 0) return false;
                sawHeader = true;
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                sawData = true;
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                return sawData && length == 0;
            }
            offset += ChunkOverhead + (int)length;
        }
        return false;
    }
}
