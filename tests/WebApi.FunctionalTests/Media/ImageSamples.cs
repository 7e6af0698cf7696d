using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace StudyGuru.WebApi.FunctionalTests.Media;

/// <summary>
/// Tiny but complete images of each supported kind, built here rather than read from files, and
/// damaged variants of them.
/// </summary>
public static class ImageSamples
{
    /// <summary>A 1x1 RGB PNG with correct chunk CRCs; the colour makes different samples differ.</summary>
    public static byte[] Png(byte red = 0x33, byte green = 0x66, byte blue = 0xCC)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WritePngChunk(png, "IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]); // 1x1, 8 bits, RGB
        WritePngChunk(png, "IDAT", ZLib([0, red, green, blue])); // filter byte 0, then one pixel
        WritePngChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A valid 1x1 PNG made large by a private ancillary chunk of random bytes (which compress badly).</summary>
    public static byte[] PngWithPadding(int paddingBytes)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WritePngChunk(png, "IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
        WritePngChunk(png, "prVt", System.Security.Cryptography.RandomNumberGenerator.GetBytes(paddingBytes));
        WritePngChunk(png, "IDAT", ZLib([0, 1, 2, 3]));
        WritePngChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>
    /// A 1x1 grey baseline JPEG: one 8x8 block whose coefficients are all zero (mid grey), coded with
    /// one-symbol Huffman tables, so the scan is two "0" bits (DC difference 0, end of block) padded with ones.
    /// </summary>
    public static byte[] Jpeg()
    {
        var jpeg = new List<byte> { 0xFF, 0xD8 };
        jpeg.AddRange([0xFF, 0xDB, 0x00, 0x43, 0x00]);
        jpeg.AddRange(Enumerable.Repeat((byte)1, 64)); // quantisation table 0
        jpeg.AddRange([0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00]); // SOF0 1x1, one component
        jpeg.AddRange(HuffmanTable(0x00)); // DC table 0
        jpeg.AddRange(HuffmanTable(0x10)); // AC table 0
        jpeg.AddRange([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]); // SOS
        jpeg.Add(0x3F); // bits 00 then padding 111111
        jpeg.AddRange([0xFF, 0xD9]);
        return [.. jpeg];
    }

    /// <summary>A 1x1 transparent GIF89a (global colour table, graphic control extension, one image, trailer).</summary>
    public static byte[] Gif() => Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    /// <summary>A 1x1 lossless WebP (RIFF, WEBP, one VP8L chunk).</summary>
    public static byte[] WebP() => Convert.FromBase64String("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");

    /// <summary>A 1x1 lossy WebP (RIFF, WEBP, one VP8 key frame).</summary>
    public static byte[] LossyWebP() => Convert.FromBase64String("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA");

    public static byte[] Text() => Encoding.UTF8.GetBytes("My homework: 1) 2+2  2) 3*3\n");

    /// <summary>The PNG without its last 8 bytes (IEND's type and CRC).</summary>
    public static byte[] TruncatedPng() => Png()[..^8];

    /// <summary>The PNG with one pixel byte changed, so the IDAT CRC no longer matches.</summary>
    public static byte[] CorruptPng()
    {
        var png = Png();
        png[png.Length - 12 - 4 - 1] ^= 0xFF; // a byte inside IDAT, before its CRC (IEND is the last 12 bytes)
        return png;
    }

    /// <summary>A valid 1x1 PNG of exactly <paramref name="totalBytes"/> bytes: a private ancillary chunk pads it.</summary>
    public static byte[] LargePng(int totalBytes)
    {
        var small = Png();
        var padding = totalBytes - small.Length - 12;
        using var png = new MemoryStream(totalBytes);
        png.Write(small.AsSpan(0, small.Length - 12)); // everything before IEND
        WritePngChunk(png, "prVt", new byte[padding]);
        png.Write(small.AsSpan(small.Length - 12)); // IEND
        return png.ToArray();
    }

    public static byte[] JpegWithoutEndOfImage() => Jpeg()[..^2];

    public static byte[] GifWithoutTrailer() => Gif()[..^1];

    /// <summary>The WebP with a RIFF size that promises more bytes than the file has.</summary>
    public static byte[] WebPWithWrongRiffSize()
    {
        var webp = WebP();
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(4), (uint)webp.Length);
        return webp;
    }

    private static byte[] HuffmanTable(byte classAndId)
    {
        // Length 2 + 1 + 16 counts + 1 symbol; one code of length 1 for symbol 0x00.
        var table = new List<byte> { 0xFF, 0xC4, 0x00, 0x14, classAndId, 1 };
        table.AddRange(new byte[15]);
        table.Add(0x00);
        return [.. table];
    }

    private static void WritePngChunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        png.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        png.Write(crc);
    }

    private static byte[] ZLib(byte[] raw)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(raw);
        return compressed.ToArray();
    }

    /// <summary>Bitwise CRC-32 (kept independent of the table-driven one under test).</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
