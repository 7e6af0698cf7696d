using System.Buffers.Binary;

namespace StudyGuru.Infrastructure.Media.Images;

/// <summary>
/// JPEG: SOI, then marker segments whose lengths fit the file, a frame header (SOF) before the first
/// scan, entropy-coded scan data, and an EOI. Bytes after the EOI are tolerated: some phone cameras
/// append their own trailer there.
/// </summary>
internal static class JpegStructure
{
    public const string MediaType = "image/jpeg";

    private const byte MarkerPrefix = 0xFF;
    private const byte EndOfImage = 0xD9;
    private const byte StartOfScan = 0xDA;

    public static bool HasSignature(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 3 && bytes[0] == MarkerPrefix && bytes[1] == 0xD8 && bytes[2] == MarkerPrefix;

    public static bool IsWellFormed(ReadOnlySpan<byte> bytes)
    {
        var offset = 2;
        var sawFrame = false;
        var sawScan = false;
        while (offset < bytes.Length && bytes[offset] == MarkerPrefix)
        {
            while (offset < bytes.Length && bytes[offset] == MarkerPrefix) offset++; // fill bytes
            if (offset >= bytes.Length) return false;
            var marker = bytes[offset++];
            if (marker == EndOfImage) return sawFrame && sawScan;
            if (IsStandalone(marker)) continue;
            if (marker is 0x00 or 0xD8) return false;

            if (offset + 2 > bytes.Length) return false;
            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes[offset..]);
            if (length < 2 || offset + length > bytes.Length) return false;
            if (IsStartOfFrame(marker))
            {
                // precision, height, width, component count: a frame without width or components is no image.
                if (length < 8 || BinaryPrimitives.ReadUInt16BigEndian(bytes[(offset + 5)..]) == 0 || bytes[offset + 7] == 0)
                    return false;
                sawFrame = true;
            }
            offset += length;

            if (marker == StartOfScan)
            {
                if (!sawFrame) return false;
                sawScan = true;
                offset = EndOfEntropyCodedData(bytes, offset);
                if (offset < 0) return false;
            }
        }
        return false;
    }

    /// <summary>The offset of the marker that ends a scan's data, or -1 when the file ends first.</summary>
    private static int EndOfEntropyCodedData(ReadOnlySpan<byte> bytes, int offset)
    {
        for (var i = offset; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] != MarkerPrefix) continue;
            var next = bytes[i + 1];
            // FF00 is a stuffed data byte, FFD0-FFD7 are restart markers inside the scan, FFFF is fill.
            if (next == 0x00 || next is >= 0xD0 and <= 0xD7)
            {
                i++;
                continue;
            }
            if (next == MarkerPrefix) continue;
            return i;
        }
        return -1;
    }

    private static bool IsStandalone(byte marker) => marker is 0x01 or >= 0xD0 and <= 0xD7;

    /// <summary>SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.</summary>
    private static bool IsStartOfFrame(byte marker) => marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
}
