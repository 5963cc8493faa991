using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SyncServer.Protocols.ActiveSync.Wbxml;
using SyncServer.Protocols.Tests.Common;

namespace SyncServer.Protocols.Tests.ActiveSync;

internal static partial class WbxmlTesting
{
    /// <summary>
    /// Bytes written the way one verifies them by hand against the code pages: hex bytes separated by spaces, and
    /// 'text' for the UTF-8 of an inline string (without its NUL, which is written as 00).
    /// </summary>
    public static byte[] Hex(string spec)
    {
        var bytes = new List<byte>();
        foreach (Match m in Token().Matches(spec))
        {
            if (m.Groups["text"].Success)
                bytes.AddRange(Encoding.UTF8.GetBytes(m.Groups["text"].Value));
            else
                bytes.Add(byte.Parse(m.Groups["hex"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
        return [.. bytes];
    }

    [GeneratedRegex(@"'(?<text>[^']*)'|(?<hex>[0-9A-Fa-f]{2})")]
    private static partial Regex Token();

    /// <summary>
    /// Decodes contiguously and cut into two segments at every byte, and checks all agree (the result must not
    /// depend on how the HTTP layer's buffer was segmented).
    /// </summary>
    public static (XElement? Root, WbxmlError? Error) Decode(byte[] input, WbxmlLimits? limits = null)
    {
        limits ??= WbxmlLimits.Default;
        WbxmlDecoder.TryDecode(input, limits, out var root, out var error);
        for (var cut = 1; cut < input.Length; cut++)
        {
            WbxmlDecoder.TryDecode(SplitInput.CutAt(input, cut), limits, out var splitRoot, out var splitError);
            Assert.That(splitError, Is.EqualTo(error), $"cut at {cut}");
            if (root is not null)
                AssertEquivalent(splitRoot!, root);
        }
        return (root, error);
    }

    public static XElement DecodeOk(byte[] input)
    {
        var (root, error) = Decode(input);
        Assert.That(error, Is.Null);
        return root!;
    }

    public static WbxmlError DecodeError(byte[] input, WbxmlLimits? limits = null)
    {
        var (root, error) = Decode(input, limits);
        Assert.That(root, Is.Null);
        return error!;
    }

    /// <summary>
    /// Same names, same empty/non-empty distinction, same text, same opaque bytes, same children in order.
    /// (XNode.DeepEquals would ignore opaque annotations and compare namespace declarations, which are not data.)
    /// </summary>
    public static void AssertEquivalent(XElement actual, XElement expected, string path = "")
    {
        path += "/" + expected.Name.LocalName;
        Assert.That(actual.Name, Is.EqualTo(expected.Name), path);
        Assert.That(actual.IsEmpty, Is.EqualTo(expected.IsEmpty), $"{path}: IsEmpty");
        Assert.That(WbxmlOpaque.Get(actual)?.ToArray(), Is.EqualTo(WbxmlOpaque.Get(expected)?.ToArray()),
            $"{path}: opaque");
        var actualChildren = actual.Elements().ToList();
        var expectedChildren = expected.Elements().ToList();
        Assert.That(actualChildren, Has.Count.EqualTo(expectedChildren.Count), $"{path}: children");
        if (expectedChildren.Count == 0)
            Assert.That(actual.Value, Is.EqualTo(expected.Value), $"{path}: text");
        for (var i = 0; i < expectedChildren.Count; i++)
            AssertEquivalent(actualChildren[i], expectedChildren[i], path);
    }
}
