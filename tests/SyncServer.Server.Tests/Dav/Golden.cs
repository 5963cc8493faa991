using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SyncServer.Server.Tests.Dav;

/// <summary>
/// XML golden files under <c>Dav/Golden/</c>. Values that change from run to run (sync-tokens, ctags, ETags, dates) are
/// replaced by placeholders before comparing. <c>SYNCSERVER_UPDATE_GOLDEN=1</c> rewrites the files in the source tree.
/// </summary>
public static partial class Golden
{
    public static void AssertMatches(string name, string actualXml, [CallerFilePath] string callerFile = "")
    {
        var actual = Normalize(actualXml);
        var sourcePath = Path.Combine(Path.GetDirectoryName(callerFile)!, "Golden", name + ".xml");
        if (Environment.GetEnvironmentVariable("SYNCSERVER_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(sourcePath, actual);
            return;
        }
        var expectedPath = Path.Combine(AppContext.BaseDirectory, "Dav", "Golden", name + ".xml");
        Assert.That(File.Exists(expectedPath), Is.True, $"golden file {name}.xml missing; actual:\n{actual}");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(expectedPath).ReplaceLineEndings("\n")), $"golden {name}");
    }

    private static string Normalize(string xml)
    {
        var text = XDocument.Parse(xml).ToString().ReplaceLineEndings("\n");
        text = SyncToken().Replace(text, "{sync-token}");
        text = CTag().Replace(text, "$1{ctag}$2");
        text = ETag().Replace(text, "$1{etag}$2");
        text = LastModified().Replace(text, "$1{date}$2");
        text = Quota().Replace(text, "$1{bytes}$2");
        return text + "\n";
    }

    [GeneratedRegex(@"urn:syncserver:(sync:\d+:\d+|directory:[0-9a-f]+)")]
    private static partial Regex SyncToken();

    [GeneratedRegex(@"(<cs:getctag>)[0-9a-f]+(</cs:getctag>)")]
    private static partial Regex CTag();

    [GeneratedRegex(@"(<d:getetag>)[^<]+(</d:getetag>)")]
    private static partial Regex ETag();

    [GeneratedRegex(@"(<d:getlastmodified>)[^<]+(</d:getlastmodified>)")]
    private static partial Regex LastModified();

    [GeneratedRegex(@"(<d:quota-used-bytes>)\d+(</d:quota-used-bytes>)")]
    private static partial Regex Quota();
}
