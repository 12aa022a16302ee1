using System.Buffers.Binary;
using System.IO.Compression;

namespace Mimamori.Support.Tests;

/// <summary>
/// Just enough of PNG to read what pdftoppm writes (8-bit grey, RGB or RGBA, not interlaced), so that a test can
/// look at pixels without an imaging library.
/// </summary>
public sealed class Png
{
    private Png(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    public byte[] Pixels { get; }

    /// <summary>The luminance (0 black – 255 white) of a pixel.</summary>
    public int Luma(int x, int y)
    {
        var i = ((y * Width) + x) * Channels;
        return Channels < 3 ? Pixels[i] : ((Pixels[i] * 299) + (Pixels[i + 1] * 587) + (Pixels[i + 2] * 114)) / 1000;
    }

    public static Png Read(byte[] file)
    {
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (!file.AsSpan(0, 8).SequenceEqual(signature))
        {
            throw new InvalidDataException("not a PNG");
        }

        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        var at = 8;
        while (at < file.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            var data = file.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                var depth = data[8];
                var colour = data[9];
                channels = colour switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => throw new InvalidDataException($"colour type {colour}") };
                if (depth != 8 || data[12] != 0)
                {
                    throw new InvalidDataException("only 8-bit, non-interlaced PNG is read here");
                }
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            at += 12 + length;
        }

        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        return new Png(width, height, channels, Unfilter(raw.ToArray(), width, height, channels));
    }

    private static byte[] Unfilter(byte[] raw, int width, int height, int bpp)
    {
        var stride = width * bpp;
        var pixels = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var src = (y * (stride + 1)) + 1;
            var dst = y * stride;
            for (var x = 0; x < stride; x++)
            {
                int a = x >= bpp ? pixels[dst + x - bpp] : 0;
                int b = y > 0 ? pixels[dst - stride + x] : 0;
                int c = x >= bpp && y > 0 ? pixels[dst - stride + x - bpp] : 0;
                var value = raw[src + x];
                pixels[dst + x] = filter switch
                {
                    0 => value,
                    1 => (byte)(value + a),
                    2 => (byte)(value + b),
                    3 => (byte)(value + ((a + b) / 2)),
                    4 => (byte)(value + Paeth(a, b, c)),
                    _ => throw new InvalidDataException($"filter {filter}"),
                };
            }
        }

        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
