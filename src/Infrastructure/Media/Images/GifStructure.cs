using System.Buffers.Binary;

namespace StudyGuru.Infrastructure.Media.Images;

/// <summary>
/// GIF: a GIF87a/GIF89a header, the logical screen descriptor (and its colour table), then blocks —
/// extensions and images, each with sub-blocks that fit the file — up to the trailer (0x3B).
/// </summary>
internal static class GifStructure
{
    public const string MediaType = "image/gif";

    private const int HeaderAndScreenDescriptor = 13;
    private const byte ExtensionIntroducer = 0x21;
    private const byte ImageSeparator = 0x2C;
    private const byte Trailer = 0x3B;
    private const int ImageDescriptor = 10;

    public static bool HasSignature(ReadOnlySpan<byte> bytes) => bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8);

    public static bool IsWellFormed(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderAndScreenDescriptor) return false;
        if (BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]) == 0 || BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]) == 0)
            return false;
        var offset = HeaderAndScreenDescriptor + ColourTableSize(bytes[10]);
        var sawImage = false;
        while (offset < bytes.Length)
        {
            switch (bytes[offset])
            {
                case ExtensionIntroducer:
                    offset = SkipSubBlocks(bytes, offset + 2); // introducer, label
                    break;
                case ImageSeparator:
                    if (offset + ImageDescriptor > bytes.Length) return false;
                    offset += ImageDescriptor + ColourTableSize(bytes[offset + 9]) + 1; // + LZW minimum code size
                    offset = SkipSubBlocks(bytes, offset);
                    sawImage = true;
                    break;
                case Trailer:
                    return sawImage;
                default:
                    return false;
            }
            if (offset < 0) return false;
        }
        return false;
    }

    private static int ColourTableSize(byte packedFields) =>
        (packedFields & 0x80) == 0 ? 0 : 3 * (1 << ((packedFields & 0x07) + 1));

    /// <summary>The offset after the block terminator, or -1 when the file ends first.</summary>
    private static int SkipSubBlocks(ReadOnlySpan<byte> bytes, int offset)
    {
        while (offset < bytes.Length)
        {
            var size = bytes[offset++];
            if (size == 0) return offset;
            offset += size;
        }
        return -1;
    }
}
