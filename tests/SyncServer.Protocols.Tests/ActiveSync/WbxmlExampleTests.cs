using SyncServer.Protocols.ActiveSync.Wbxml;
using static SyncServer.Protocols.Tests.ActiveSync.WbxmlTesting;

namespace SyncServer.Protocols.Tests.ActiveSync;

/// <summary>
/// The request and response examples of MS-ASCMD section 4 (and of MS-ASWBXML, MS-ASPROV, MS-ASTASK), one case per
/// file of <c>ActiveSync/Examples/</c>: our encoding decodes back to the same tree, and where the spec gives the
/// bytes, ours are those bytes. <see cref="LibWbxmlTests"/> runs the same files through Debian's libwbxml.
/// </summary>
public class WbxmlExampleTests
{
    public static IEnumerable<TestCaseData> Examples() => WbxmlExample.All();

    [TestCaseSource(nameof(Examples))]
    public void Encodes_and_decodes_back_to_the_same_tree(string name)
    {
        var example = WbxmlExample.Load(name);
        AssertEquivalent(DecodeOk(WbxmlEncoder.Encode(example.Document)), example.Document);
    }

    public static IEnumerable<TestCaseData> ExamplesWithBytes() =>
        WbxmlExample.All().Where(c => WbxmlExample.Load((string)c.Arguments[0]!).SpecBytes is not null);

    [TestCaseSource(nameof(ExamplesWithBytes))]
    public void Encodes_to_the_bytes_the_spec_gives(string name)
    {
        var example = WbxmlExample.Load(name);
        var bytes = WbxmlEncoder.Encode(example.Document);
        Assert.That(bytes.Take(example.SpecBytes!.Length), Is.EqualTo(example.SpecBytes));
    }

    [Test]
    public void Every_spec_example_folder_has_examples()
    {
        var folders = Directory.GetDirectories(WbxmlExample.Directory).Select(Path.GetFileName);
        Assert.That(folders, Is.SupersetOf(new[] { "MS-ASCMD", "MS-ASWBXML", "Constructed" }));
        Assert.That(folders.Select(f => Directory.GetFiles(Path.Combine(WbxmlExample.Directory, f!), "*.xml").Length),
            Has.All.Positive);
    }
}
