using SyncServer.Protocols.ActiveSync.Wbxml;
using static SyncServer.Protocols.Tests.ActiveSync.WbxmlTesting;

namespace SyncServer.Protocols.Tests.ActiveSync;

/// <summary>Every refusal is a <see cref="WbxmlError"/> with the offset of the byte at fault — never an exception.</summary>
public class WbxmlMalformedTests
{
    [TestCase("02 01 6A 00 45 01", WbxmlErrorKind.UnsupportedVersion, 0)]
    [TestCase("03 01 04 00 45 01", WbxmlErrorKind.UnsupportedCharset, 2)]
    [TestCase("03 01 FF FF FF FF 7F 00 45 01", WbxmlErrorKind.InvalidMultiByteInteger, 2)]   // over 2^32 - 1
    [TestCase("03 01 80 80 80 80 80 6A 00 45 01", WbxmlErrorKind.InvalidMultiByteInteger, 2)] // 6 bytes
    [TestCase("03 01 6A 7F 45 01", WbxmlErrorKind.Truncated, 3)]                                 // string table past the end
    [TestCase("03 01 6A 00 00 1A 45 01", WbxmlErrorKind.UnknownCodePage, 4)]                    // page 26
    [TestCase("03 01 6A 00 00 FF 45 01", WbxmlErrorKind.UnknownCodePage, 4)]
    [TestCase("03 01 6A 00 51 01", WbxmlErrorKind.UnknownTag, 4)]                               // AirSync 0x11 (Version)
    [TestCase("03 01 6A 00 00 19 4F 01", WbxmlErrorKind.UnknownTag, 6)]                         // Find 0x0F
    [TestCase("03 01 6A 00 45 3F 01", WbxmlErrorKind.UnknownTag, 5)]
    [TestCase("03 01 6A 00 C5 01 01", WbxmlErrorKind.AttributesNotSupported, 4)]
    [TestCase("03 01 6A 00 85 01", WbxmlErrorKind.AttributesNotSupported, 4)]
    [TestCase("03 01 6A 00 45 02 41 01", WbxmlErrorKind.UnsupportedToken, 5)]                   // ENTITY
    [TestCase("03 01 6A 00 45 04 00 01", WbxmlErrorKind.UnsupportedToken, 5)]                   // LITERAL
    [TestCase("03 01 6A 00 45 40 'x' 00 01", WbxmlErrorKind.UnsupportedToken, 5)]               // EXT_I_0
    [TestCase("03 01 6A 00 45 43 01", WbxmlErrorKind.UnsupportedToken, 5)]                      // PI
    [TestCase("03 01 6A 00 45 44 00 01", WbxmlErrorKind.UnsupportedToken, 5)]                   // LITERAL_C
    [TestCase("03 01 6A 00 45 80 00 01", WbxmlErrorKind.UnsupportedToken, 5)]                   // EXT_T_0
    [TestCase("03 01 6A 00 45 84 00 01", WbxmlErrorKind.UnsupportedToken, 5)]                   // LITERAL_A
    [TestCase("03 01 6A 00 45 C0 01", WbxmlErrorKind.UnsupportedToken, 5)]                      // EXT_0
    [TestCase("03 01 6A 00 45 C4 00 01", WbxmlErrorKind.UnsupportedToken, 5)]                   // LITERAL_AC
    [TestCase("03 01 6A 00 45 4B 03 C3 28 00 01 01", WbxmlErrorKind.InvalidUtf8, 7)]
    [TestCase("03 01 6A 00 45 4B 83 00 01 01", WbxmlErrorKind.InvalidStringTableReference, 7)]
    [TestCase("03 01 6A 02 'a' 00 45 4B 83 05 01 01", WbxmlErrorKind.InvalidStringTableReference, 9)]
    [TestCase("03 01 6A 00 45 4B C3 8F FF FF FF 7F 01 01", WbxmlErrorKind.StringTooLong, 7)]    // 4 GiB opaque
    [TestCase("03 01 6A 00 45 4B C3 90 80 80 80 00 01 01", WbxmlErrorKind.InvalidMultiByteInteger, 7)]
    [TestCase("03 01 6A 00 45 4B C3 83 E8 'abc' 01 01", WbxmlErrorKind.Truncated, 7)]           // 1000 bytes, 3 there
    [TestCase("03 01 6A 00 45 4B C3 01 'a' 03 'b' 00 01 01", WbxmlErrorKind.UnexpectedContent, 9)]
    [TestCase("03 01 6A 00 45 4B 03 'b' 00 C3 01 'a' 01 01", WbxmlErrorKind.UnexpectedContent, 9)]
    [TestCase("03 01 6A 00 45 4B C3 01 'a' 0B 01 01", WbxmlErrorKind.UnexpectedContent, 9)]
    [TestCase("03 01 6A 00 03 'x' 00", WbxmlErrorKind.UnexpectedContent, 4)]                     // text before the root
    [TestCase("03 01 6A 00 C3 00", WbxmlErrorKind.UnexpectedContent, 4)]
    [TestCase("03 01 6A 00 01", WbxmlErrorKind.UnexpectedContent, 4)]                            // END before the root
    [TestCase("03 01 6A 00 45 01 45 01", WbxmlErrorKind.UnexpectedContent, 6)]                   // two roots
    [TestCase("03 01 6A 00 05 00", WbxmlErrorKind.UnexpectedContent, 5)]                         // trailing bytes
    [TestCase("03 01 6A 00", WbxmlErrorKind.Truncated, 4)]
    [TestCase("", WbxmlErrorKind.Truncated, 0)]
    public void Malformed_input_is_an_error_value(string hex, WbxmlErrorKind kind, long offset)
    {
        var error = DecodeError(Hex(hex));
        Assert.That(error.Kind, Is.EqualTo(kind), error.ToString());
        Assert.That(error.Offset, Is.EqualTo(offset), error.ToString());
    }

    [Test]
    public void Depth_bomb_stops_at_MaxDepth()
    {
        var bomb = Hex("03 01 6A 00").Concat(Enumerable.Repeat((byte)0x45, 1_000_000)).ToArray();
        WbxmlDecoder.TryDecode(bomb, WbxmlLimits.Default, out var root, out var error);
        Assert.That(root, Is.Null);
        Assert.That(error!.Kind, Is.EqualTo(WbxmlErrorKind.TooDeep));
        Assert.That(error.Offset, Is.EqualTo(4 + WbxmlLimits.Default.MaxDepth));
    }

    [Test]
    public void Deep_nesting_within_the_limit_does_not_use_the_stack()
    {
        // Deep enough that a recursive decoder would overflow a 1 MB stack; not deeper, because XElement.Add walks
        // up to the root, so building an n-deep tree costs n^2 / 2 steps.
        const int depth = 20_000;
        var input = Hex("03 01 6A 00").Concat(Enumerable.Repeat((byte)0x45, depth))
            .Concat(Enumerable.Repeat((byte)0x01, depth)).ToArray();
        var limits = WbxmlLimits.Default with { MaxDepth = depth, MaxElements = depth };
        Assert.That(WbxmlDecoder.TryDecode(input, limits, out _, out var error), Is.True, error?.ToString());
    }

    [Test]
    public void Element_bomb_stops_at_MaxElements()
    {
        var input = Hex("03 01 6A 00 45").Concat(Enumerable.Repeat((byte)0x13, 1000)).Append((byte)0x01).ToArray();
        var error = DecodeError(input, WbxmlLimits.Default with { MaxElements = 100 });
        Assert.That(error.Kind, Is.EqualTo(WbxmlErrorKind.TooManyElements));
        Assert.That(error.Offset, Is.EqualTo(4 + 100));
    }

    [Test]
    public void Long_string_stops_at_MaxStringLength()
    {
        var limits = WbxmlLimits.Default with { MaxStringLength = 5 };
        Assert.That(DecodeError(Hex("03 01 6A 00 4B 03 '123456' 00 01"), limits).Kind, Is.EqualTo(WbxmlErrorKind.StringTooLong));
        Assert.That(DecodeError(Hex("03 01 6A 00 4B C3 06 '123456' 01"), limits).Kind, Is.EqualTo(WbxmlErrorKind.StringTooLong));
        Assert.That(Decode(Hex("03 01 6A 00 4B 03 '12345' 00 01"), limits).Error, Is.Null);
    }

    [Test]
    public void Input_over_MaxInputSize_is_refused_before_reading()
    {
        var error = DecodeError(Hex("03 01 6A 00 4B 03 '12345' 00 01"), WbxmlLimits.Default with { MaxInputSize = 8 });
        Assert.That(error.Kind, Is.EqualTo(WbxmlErrorKind.InputTooLarge));
    }

    [Test]
    public void Random_and_mutated_input_never_throws()
    {
        var random = new Random(20240601);
        var seeds = WbxmlGoldenTests.Documents().Select(d => Hex((string)d.Arguments[1]!)).ToList();
        for (var i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 64)];
                random.NextBytes(input);
                if (input.Length >= 4 && i % 4 == 0)
                    Hex("03 01 6A 00").CopyTo(input, 0);
            }
            else
            {
                input = (byte[])seeds[random.Next(seeds.Count)].Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                    input[random.Next(input.Length)] = (byte)random.Next(256);
            }
            var ok = WbxmlDecoder.TryDecode(input, WbxmlLimits.Default, out var root, out var error);
            Assert.That(ok ? root is not null && error is null : root is null && error is not null, Is.True);
        }
    }
}
