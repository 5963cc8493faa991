using System.Text;
using SyncServer.Protocols.Http;

namespace SyncServer.Protocols.Tests.Common;

public sealed class BasicCredentialsTests
{
    private static string Header(Encoding encoding, string text) => "Basic " + Convert.ToBase64String(encoding.GetBytes(text));

    [Test]
    public void EAS_HTTP_08_Utf8FromPhones_Latin1FromOutlook_BothRead()
    {
        Assert.That(BasicCredentials.Parse(Header(Encoding.UTF8, "jörg@example.org:pässwörd")), Is.EqualTo(new BasicCredentials("jörg@example.org", "pässwörd")));
        Assert.That(BasicCredentials.Parse(Header(Encoding.Latin1, "jörg@example.org:pässwörd")), Is.EqualTo(new BasicCredentials("jörg@example.org", "pässwörd")));
    }

    [Test]
    public void DomainBackslashUser_KeepsTheUser_PasswordMayHoldColons()
        => Assert.That(BasicCredentials.Parse("basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes(@"EXAMPLE\alice@example.org:a:b"))),
            Is.EqualTo(new BasicCredentials("alice@example.org", "a:b")));

    [TestCase(null)]
    [TestCase("Bearer abc")]
    [TestCase("Basic !!!")]
    [TestCase("Basic bm9jb2xvbg==")]   // "nocolon"
    [TestCase("Basic OnB3")]           // ":pw", no user
    public void Malformed_IsNull(string? header) => Assert.That(BasicCredentials.Parse(header), Is.Null);

    [Test]
    public void ToString_LeavesThePasswordOut() => Assert.That(new BasicCredentials("a", "secret").ToString(), Does.Not.Contain("secret"));
}
