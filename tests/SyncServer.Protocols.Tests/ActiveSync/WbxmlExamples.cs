using System.Xml.Linq;
using static SyncServer.Protocols.Tests.ActiveSync.WbxmlTesting;

namespace SyncServer.Protocols.Tests.ActiveSync;

/// <summary>
/// One example document of <c>ActiveSync/Examples/</c>: the XML of a spec example (folder = the spec, file name =
/// its section and what it shows) or one constructed after the spec's schema where the example text was not at hand.
/// Leading comments say where it comes from (<c>source:</c>), the bytes the spec gives for it (<c>wbxml:</c>, all
/// of them or the quoted beginning) and why Debian's libwbxml cannot check it (<c>libwbxml: skip</c>).
/// </summary>
public sealed record WbxmlExample(string Name, XElement Document, byte[]? SpecBytes, string? LibWbxmlSkip)
{
    public static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "ActiveSync", "Examples");

    public static IEnumerable<TestCaseData> All() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(path => Path.GetRelativePath(Directory, path))
            .Select(name => new TestCaseData(name).SetArgDisplayNames(name));

    public static WbxmlExample Load(string name)
    {
        var file = XDocument.Load(Path.Combine(Directory, name));
        var comments = file.Nodes().OfType<XComment>().Select(c => c.Value.Trim()).ToList();
        string? Comment(string key) =>
            comments.FirstOrDefault(c => c.StartsWith(key, StringComparison.Ordinal))?[key.Length..].Trim();
        return new WbxmlExample(name, WithActiveSyncNamespaces(file.Root!),
            Comment("wbxml:") is { } hex ? Hex(hex) : null, Comment("libwbxml: skip"));
    }

    /// <summary>
    /// MS-ASCMD's current examples write namespaces as "AirSync", its older ones (and libwbxml) as "AirSync:"; the
    /// codec uses the latter. Declarations are rewritten too, so the document keeps its prefixes when printed.
    /// </summary>
    private static XElement WithActiveSyncNamespaces(XElement root)
    {
        var copy = new XElement(root);
        foreach (var element in copy.DescendantsAndSelf())
        {
            element.Name = Normalize(element.Name.Namespace) + element.Name.LocalName;
            foreach (var declaration in element.Attributes().Where(a => a.IsNamespaceDeclaration))
                declaration.Value = Normalize(declaration.Value).NamespaceName;
        }
        return copy;
    }

    private static XNamespace Normalize(XNamespace ns) =>
        ns == XNamespace.None || ns.NamespaceName.EndsWith(':') ? ns : XNamespace.Get(ns.NamespaceName + ":");
}
