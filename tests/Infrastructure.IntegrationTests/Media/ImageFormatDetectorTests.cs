using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using StudyGuru.Infrastructure.Media.Images;

namespace StudyGuru.Infrastructure.IntegrationTests.Media;

/// <summary>The structural checks on the variations real files show (phone trailers, restart markers, extended WebP...).</summary>
public sealed class ImageFormatDetectorTests
{
    private static readonly byte[] JpegHead =
    [
        0xFF, 0xD8,
        0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, // APP0
        0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00, // SOF0 1x1
    ];

    private static readonly byte[] StartOfScan = [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00];
    private static readonly byte[] EndOfImage = [0xFF, 0xD9];

    private static byte[] Jpeg(params byte[][] afterFrame) => [.. JpegHead, .. afterFrame.SelectMany(part => part)];

    [Test]
    public void Detect_JpegWithStuffedBytesRestartMarkersAndTrailerAfterEoi_IsJpeg()
    {
        var scanData = new byte[] { 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF, 0xD1, 0x78 };
        var cameraTrailer = "SEFT trailer bytes"u8.ToArray();

        var detection = ImageFormatDetector.Detect(Jpeg(StartOfScan, scanData, EndOfImage, cameraTrailer));

        Assert.That(detection.MediaType, Is.EqualTo("image/jpeg"));
    }

    [Test]
    public void Detect_JpegWithSeveralScans_IsJpeg()
    {
        byte[] huffmanTable = [0xFF, 0xC4, 0x00, 0x14, 0x10, 1, .. new byte[15], 0x00];

        var detection = ImageFormatDetector.Detect(Jpeg(StartOfScan, [0x3F], huffmanTable, StartOfScan, [0x3F], EndOfImage));

        Assert.That(detection.MediaType, Is.EqualTo("image/jpeg"));
    }

    [Test]
    public void Detect_JpegScanBeforeAnyFrame_IsRefused()
    {
        byte[] bytes = [0xFF, 0xD8, .. StartOfScan, 0x3F, .. EndOfImage];

        Assert.That(ImageFormatDetector.Detect(bytes).Refusal, Does.Contain("JPEG image but is truncated or corrupt"));
    }

    [Test]
    public void Detect_JpegSegmentLongerThanTheFile_IsRefused()
    {
        byte[] bytes = [0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0x00, 0x01, 0x02];

        Assert.That(ImageFormatDetector.Detect(bytes).MediaType, Is.Null);
    }

    [Test]
    public void Detect_JpegScanNeverEnded_IsRefused()
    {
        Assert.That(ImageFormatDetector.Detect(Jpeg(StartOfScan, [0x3F, 0x00, 0x11])).MediaType, Is.Null);
    }

    [Test]
    public void Detect_PngWithBytesAfterIend_IsPng()
    {
        var detection = ImageFormatDetector.Detect([.. Png(width: 1, withData: true), 0x00, 0x00]);

        Assert.That(detection.MediaType, Is.EqualTo("image/png"));
    }

    [TestCase(0u, true, TestName = "Detect_PngOfZeroWidth_IsRefused")]
    [TestCase(1u, false, TestName = "Detect_PngWithoutImageData_IsRefused")]
    public void Detect_MalformedPng_IsRefused(uint width, bool withData)
    {
        Assert.That(ImageFormatDetector.Detect(Png(width, withData)).Refusal, Does.Contain("PNG image but is truncated or corrupt"));
    }

    [Test]
    public void Detect_Gif87a_IsGif()
    {
        byte[] gif = [.. "GIF87a"u8, 1, 0, 1, 0, 0x00, 0, 0, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B];

        Assert.That(ImageFormatDetector.Detect(gif).MediaType, Is.EqualTo("image/gif"));
    }

    [Test]
    public void Detect_GifWithoutAnyImage_IsRefused()
    {
        byte[] gif = [.. "GIF89a"u8, 1, 0, 1, 0, 0x00, 0, 0, 0x3B];

        Assert.That(ImageFormatDetector.Detect(gif).MediaType, Is.Null);
    }

    [Test]
    public void Detect_ExtendedWebPWithOddSizedPaddedChunk_IsWebP()
    {
        var webp = WebP(Chunk("VP8X", new byte[10]), Chunk("ICCP", [1, 2, 3]), Chunk("VP8L", [0x2F, 0, 0, 0, 0x10]));

        Assert.That(ImageFormatDetector.Detect(webp).MediaType, Is.EqualTo("image/webp"));
    }

    [Test]
    public void Detect_ExtendedWebPWithoutAnyFrame_IsRefused()
    {
        Assert.That(ImageFormatDetector.Detect(WebP(Chunk("VP8X", new byte[10]))).MediaType, Is.Null);
    }

    [Test]
    public void Detect_RiffThatIsNotWebP_IsNotAnImage()
    {
        byte[] avi = [.. "RIFF"u8, 4, 0, 0, 0, .. "AVI "u8];

        Assert.That(ImageFormatDetector.Detect(avi).Refusal, Is.EqualTo("The file is not a PNG, JPEG, WebP or GIF image."));
    }

    [Test]
    public void Detect_NoBytes_IsNotAnImage()
    {
        Assert.That(ImageFormatDetector.Detect([]).MediaType, Is.Null);
    }

    private static byte[] Png(uint width, bool withData)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 1);
        header[8] = 8; // bit depth; colour type 0 (grey)
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) zlib.Write([0, 0x80]);
        IEnumerable<byte> png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. PngChunk("IHDR", header)];
        if (withData) png = png.Concat(PngChunk("IDAT", compressed.ToArray()));
        return [.. png, .. PngChunk("IEND", [])];
    }

    private static byte[] PngChunk(string type, byte[] data)
    {
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        var crc = 0xFFFFFFFFu;
        foreach (var b in typeAndData)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        typeAndData.CopyTo(chunk, 4);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), ~crc);
        return chunk;
    }

    private static byte[] WebP(params byte[][] chunks)
    {
        byte[] body = [.. "WEBP"u8, .. chunks.SelectMany(c => c)];
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)body.Length);
        return [.. "RIFF"u8, .. size, .. body];
    }

    private static byte[] Chunk(string fourCc, byte[] data)
    {
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)data.Length);
        return [.. Encoding.ASCII.GetBytes(fourCc), .. size, .. data, .. data.Length % 2 == 1 ? new byte[] { 0 } : []];
    }
}
