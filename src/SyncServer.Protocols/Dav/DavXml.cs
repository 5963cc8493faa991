using System.Xml;
using System.Xml.Linq;

namespace SyncServer.Protocols.Dav;

/// <summary>Limits on a DAV request body (DESIGN.md §4: <c>MaxDavBodySize</c>).</summary>
public sealed record DavXmlLimits
{
    public static readonly DavXmlLimits Default = new();

    /// <summary>Largest XML request body, in bytes (a multiget of a thousand hrefs is far below it).</summary>
    public int MaxDavBodySize { get; init; } = 1024 * 1024;

    /// <summary>Deepest element nesting; real requests (calendar-query filters) stay under 12.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Most elements in one body.</summary>
    public int MaxElements { get; init; } = 20_000;
}

/// <summary>
/// Reads a DAV request body: <see cref="XmlReader"/> with DTDs prohibited, no resolver (no external entity can be
/// fetched), and the size, depth and element-count limits checked while reading. Pure: bytes in, a document or an error out.
/// </summary>
public static class DavXml
{
    public static bool TryParse(ReadOnlySpan<byte> body, DavXmlLimits limits, out XDocument? document, out string error)
    {
        document = null;
        if (body.Length > limits.MaxDavBodySize)
        {
            error = "request body too large";
            return false;
        }
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = limits.MaxDavBodySize,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        };
        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            var elements = 0;
            var root = new XDocument();
            var stack = new Stack<XContainer>();
            stack.Push(root);
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        if (++elements > limits.MaxElements || reader.Depth >= limits.MaxDepth)
                        {
                            error = elements > limits.MaxElements ? "too many elements" : "XML nested too deeply";
                            return false;
                        }
                        var element = new XElement(XNamespace.Get(reader.NamespaceURI) + reader.LocalName);
                        var empty = reader.IsEmptyElement;
                        if (reader.MoveToFirstAttribute())
                        {
                            do
                            {
                                if (reader.NamespaceURI != "http://www.w3.org/2000/xmlns/")
                                    element.SetAttributeValue(XNamespace.Get(reader.NamespaceURI) + reader.LocalName, reader.Value);
                            }
                            while (reader.MoveToNextAttribute());
                            reader.MoveToElement();
                        }
                        stack.Peek().Add(element);
                        if (!empty)
                            stack.Push(element);
                        break;
                    case XmlNodeType.EndElement:
                        stack.Pop();
                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                    case XmlNodeType.SignificantWhitespace:
                        if (stack.Peek() is XElement parent)
                            parent.Add(new XText(reader.Value));
                        break;
                }
            }
            if (root.Root is null)
            {
                error = "empty XML body";
                return false;
            }
            document = root;
            error = "";
            return true;
        }
        catch (XmlException e)
        {
            error = e.Message;
            return false;
        }
    }
}
