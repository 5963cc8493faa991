using System.Collections.Frozen;
using System.Xml.Linq;

namespace SyncServer.Protocols.ActiveSync.Wbxml;

/// <summary>
/// One ActiveSync code page (MS-ASWBXML 2.1.2.1): a page number, the XML namespace its tags live in, and the tag
/// tokens 0x05–0x3F. The data is in <see cref="WbxmlCodePages"/>; this class only indexes it both ways.
/// </summary>
public sealed class WbxmlCodePage
{
    private readonly XName?[] _byToken = new XName?[0x40];

    internal WbxmlCodePage(byte number, XNamespace ns, (byte Token, string Name)[] tags)
    {
        Number = number;
        Namespace = ns;
        Tags = tags;
        foreach (var (token, name) in tags)
            _byToken[token] = ns + name;
        Tokens = tags.ToFrozenDictionary(t => ns + t.Name, t => t.Token);
    }

    public byte Number { get; }

    public XNamespace Namespace { get; }

    /// <summary>The tags as the spec lists them, in token order.</summary>
    public IReadOnlyList<(byte Token, string Name)> Tags { get; }

    /// <summary>Element name → tag token (without the content and attribute bits).</summary>
    public FrozenDictionary<XName, byte> Tokens { get; }

    /// <summary>The element name of a tag token; false for tokens the page does not define.</summary>
    public bool TryGetName(int token, out XName name)
    {
        name = token is >= 0 and < 0x40 ? _byToken[token]! : null!;
        return name is not null;
    }
}
