using System.Reflection;
using System.Text.RegularExpressions;

namespace SyncServer.Server.Tests;

/// <summary>The dependency rules of DESIGN.md §2, checked over assembly references and source namespaces.</summary>
public sealed partial class ArchitectureTests
{
    private static readonly string[] FrontEnds = ["Imap", "Smtp", "Pop3", "ActiveSync", "Dav", "Admin", "Autoconfig"];

    [Test]
    public void Protocols_references_nothing_of_ours()
    {
        Assert.That(OurReferences(Load("SyncServer.Protocols")), Is.Empty);
    }

    [Test]
    public void Core_references_neither_Storage_nor_AspNetCore()
    {
        var references = Load("SyncServer.Core").GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.That(references, Has.None.StartsWith("SyncServer."));
        Assert.That(references, Has.None.StartsWith("Microsoft.AspNetCore"));
    }

    [Test]
    public void Storage_references_only_Core_of_ours()
    {
        Assert.That(OurReferences(Load("SyncServer.Storage")), Is.EquivalentTo(new[] { "SyncServer.Core" }));
    }

    [Test]
    public void Front_ends_in_Server_do_not_use_each_other()
    {
        var serverSource = Path.Combine(RepositoryRoot(), "src", "SyncServer.Server");
        var violations = new List<string>();
        foreach (var frontEnd in FrontEnds)
        {
            var folder = Path.Combine(serverSource, frontEnd);
            if (!System.IO.Directory.Exists(folder))
                continue;
            foreach (var file in System.IO.Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match match in ServerNamespaceUse().Matches(File.ReadAllText(file)))
                {
                    var used = match.Groups[1].Value;
                    if (used != frontEnd && FrontEnds.Contains(used))
                        violations.Add($"{Path.GetRelativePath(serverSource, file)} uses SyncServer.Server.{used}");
                }
            }
        }
        Assert.That(violations, Is.Empty);
    }

    [GeneratedRegex(@"SyncServer\.Server\.(\w+)")]
    private static partial Regex ServerNamespaceUse();

    private static IEnumerable<string> OurReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("SyncServer.", StringComparison.Ordinal));

    private static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SyncServer.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("SyncServer.sln not found above the test directory");
    }
}
