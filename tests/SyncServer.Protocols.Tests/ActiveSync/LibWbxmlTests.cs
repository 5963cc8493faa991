using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SyncServer.Protocols.ActiveSync.Wbxml;
using static SyncServer.Protocols.Tests.ActiveSync.WbxmlTesting;

namespace SyncServer.Protocols.Tests.ActiveSync;

/// <summary>
/// An independent implementation as a cross-check: Debian's libwbxml2-utils (<c>xml2wbxml</c>, <c>wbxml2xml</c>,
/// language ACTIVESYNC) must produce our bytes from the golden XML and read our bytes back as the same XML.
/// Skipped when the tools are not installed (<c>apt-get install libwbxml2-utils</c>; .ci/run installs it).
/// libwbxml 0.11 still uses some pre-2007 element names (Contacts "BusinessCity", Calendar "Attendee_Email", …)
/// and lacks page 25, so only documents whose names both spell the same way are compared here. Its other
/// differences are translated by <see cref="LibWbxmlForm"/>: ComposeMail <c>Mime</c> is "MIME", the GAL namespace
/// is "Gal:", and a few elements are binary to it (OPAQUE on the wire, base64 in its XML).
/// </summary>
public partial class LibWbxmlTests
{
    private const string Doctype =
        """<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">""";

    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("wbxml").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    public static IEnumerable<TestCaseData> Documents() => WbxmlGoldenTests.Documents();

    [TestCaseSource(nameof(Documents))]
    public void Xml2wbxml_produces_our_bytes(string xml, string wbxml) =>
        Assert.That(Xml2wbxml(xml), Is.EqualTo(Hex(wbxml)));

    [TestCaseSource(nameof(Documents))]
    public void Wbxml2xml_reads_our_bytes_as_the_same_xml(string xml, string wbxml) =>
        AssertEquivalent(Wbxml2xml(WbxmlEncoder.Encode(XElement.Parse(xml))), XElement.Parse(xml));

    public static IEnumerable<TestCaseData> Examples() => WbxmlExample.All();

    [TestCaseSource(nameof(Examples))]
    public void Xml2wbxml_encodes_the_spec_examples_as_we_do(string name)
    {
        var example = Checkable(name);
        Assert.That(Xml2wbxml(LibWbxmlForm(example.Document).ToString()),
            Is.EqualTo(WbxmlEncoder.Encode(WithBinaryAsOpaque(example.Document))));
    }

    [TestCaseSource(nameof(Examples))]
    public void Wbxml2xml_reads_our_encoding_of_the_spec_examples(string name)
    {
        var example = Checkable(name);
        AssertEquivalent(Wbxml2xml(WbxmlEncoder.Encode(WithBinaryAsOpaque(example.Document))),
            LibWbxmlForm(example.Document));
    }

    /// <summary>Elements libwbxml 0.11 encodes as OPAQUE from base64 text (found by running xml2wbxml on each).</summary>
    private static readonly HashSet<XName> BinaryToLibWbxml =
    [
        ActiveSyncNamespaces.ItemOperations + "ConversationId", ActiveSyncNamespaces.Email2 + "ConversationId",
        ActiveSyncNamespaces.Email2 + "ConversationIndex", ActiveSyncNamespaces.ResolveRecipients + "Data",
        ActiveSyncNamespaces.Gal + "Data", ActiveSyncNamespaces.ComposeMail + "Mime",
    ];

    /// <summary>The document as libwbxml spells it: its names, and its binary elements' text in base64.</summary>
    private static XElement LibWbxmlForm(XElement document)
    {
        var copy = new XElement(document);
        foreach (var element in copy.DescendantsAndSelf().ToList())
        {
            if (BinaryToLibWbxml.Contains(element.Name))
                element.Value = Convert.ToBase64String(Encoding.UTF8.GetBytes(element.Value));
            if (element.Name == ActiveSyncNamespaces.ComposeMail + "Mime")
                element.Name = ActiveSyncNamespaces.ComposeMail + "MIME";
            if (element.Name.Namespace == ActiveSyncNamespaces.Gal)
                element.Name = XNamespace.Get("Gal:") + element.Name.LocalName;
            var galDeclarations = element.Attributes()
                .Where(a => a.IsNamespaceDeclaration && a.Value == ActiveSyncNamespaces.Gal.NamespaceName);
            foreach (var declaration in galDeclarations)
                declaration.Value = "Gal:";
        }
        return copy;
    }

    /// <summary>The document with libwbxml's binary elements as OPAQUE holding the text's bytes, as libwbxml writes them.</summary>
    private static XElement WithBinaryAsOpaque(XElement document)
    {
        var copy = new XElement(document);
        foreach (var element in copy.Descendants().Where(e => BinaryToLibWbxml.Contains(e.Name)).ToList())
            element.ReplaceWith(WbxmlOpaque.Element(element.Name, Encoding.UTF8.GetBytes(element.Value)));
        return copy;
    }

    private static WbxmlExample Checkable(string name)
    {
        var example = WbxmlExample.Load(name);
        if (example.LibWbxmlSkip is { } reason)
            Assert.Ignore(reason);
        return example;
    }

    private byte[] Xml2wbxml(string xml)
    {
        var input = Path.Combine(_directory, "in.xml");
        var output = Path.Combine(_directory, "out.wbxml");
        File.WriteAllText(input, $"<?xml version=\"1.0\"?>\n{Doctype}\n{xml}");
        // -a: public id 0x01 instead of a string-table DTD name; -n: no string table. Both as ActiveSync sends.
        Run("xml2wbxml", "-a", "-n", "-v", "1.3", "-o", output, input);
        return File.ReadAllBytes(output);
    }

    private XElement Wbxml2xml(byte[] wbxml)
    {
        var input = Path.Combine(_directory, "in.wbxml");
        var output = Path.Combine(_directory, "out.xml");
        File.WriteAllBytes(input, wbxml);
        Run("wbxml2xml", "-m", "0", "-l", "ACTIVESYNC", "-o", output, input);
        // The DOCTYPE is dropped rather than processed: the XML is compared, not validated.
        return XDocument.Parse(DoctypeDeclaration().Replace(File.ReadAllText(output), "")).Root!;
    }

    [GeneratedRegex("<!DOCTYPE[^>]*>")]
    private static partial Regex DoctypeDeclaration();

    private static void Run(string tool, params string[] arguments)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);
        if (path is null)
            Assert.Ignore($"{tool} not installed (Debian package libwbxml2-utils)");
        using var process = Process.Start(new ProcessStartInfo(path, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        // The tools print "succeeded"/"failed" and exit 0 either way.
        Assert.That(process.ExitCode == 0 && !stdout.Contains("failed") && !stderr.Contains("failed"), Is.True,
            $"{tool}: {stdout}{stderr}");
    }
}
