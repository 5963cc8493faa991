using System.Diagnostics;
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
/// and lacks page 25, so only documents whose names both spell the same way are compared here.
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
    public void Xml2wbxml_produces_our_bytes(string xml, string wbxml)
    {
        var input = Path.Combine(_directory, "in.xml");
        var output = Path.Combine(_directory, "out.wbxml");
        File.WriteAllText(input, $"<?xml version=\"1.0\"?>\n{Doctype}\n{xml}");
        // -a: public id 0x01 instead of a string-table DTD name; -n: no string table. Both as ActiveSync sends.
        Run("xml2wbxml", "-a", "-n", "-v", "1.3", "-o", output, input);
        Assert.That(File.ReadAllBytes(output), Is.EqualTo(Hex(wbxml)));
    }

    [TestCaseSource(nameof(Documents))]
    public void Wbxml2xml_reads_our_bytes_as_the_same_xml(string xml, string wbxml)
    {
        var input = Path.Combine(_directory, "in.wbxml");
        var output = Path.Combine(_directory, "out.xml");
        File.WriteAllBytes(input, WbxmlEncoder.Encode(XElement.Parse(xml)));
        Run("wbxml2xml", "-m", "0", "-l", "ACTIVESYNC", "-o", output, input);
        // The DOCTYPE is dropped rather than processed: the XML is compared, not validated.
        var text = DoctypeDeclaration().Replace(File.ReadAllText(output), "");
        AssertEquivalent(XDocument.Parse(text).Root!, XElement.Parse(xml));
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
