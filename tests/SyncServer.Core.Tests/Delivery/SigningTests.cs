using System.Text;
using SyncServer.Core.Delivery;

namespace SyncServer.Core.Tests.Delivery;

/// <summary>Issue 3 item 5: submitted mail from a served domain is signed once, at commit, before it is stored.</summary>
public sealed class SigningTests : DeliveryTests
{
    private const string SignatureLine = "X-Signed-For: ";

    [SetUp]
    public async Task CreateAccountsAsync()
    {
        await UserAsync("alice@example.com");
        Signer = new PrefixSigner();
    }

    [Test]
    public async Task Submission_from_a_served_domain_is_stored_signed_for_that_domain()
    {
        await DeliverAsync(Submission("alice@example.com"), "alice@example.com", ["alice@example.com"]);
        var stored = Encoding.UTF8.GetString(await ContentAsync((await ItemsAsync("alice@example.com")).Single()));
        Assert.That(stored, Does.EndWith(SignatureLine + "example.com\r\n" + Encoding.UTF8.GetString(Message)));
        Assert.That(SpoolFiles(), Is.Empty, "both the received and the signed spool are gone");
    }

    [Test]
    public async Task Mx_mail_is_stored_as_received()
    {
        await DeliverAsync(Mx, "alice@example.com", ["alice@example.com"]);
        var stored = Encoding.UTF8.GetString(await ContentAsync((await ItemsAsync("alice@example.com")).Single()));
        Assert.That(stored, Does.Not.Contain(SignatureLine));
    }

    [Test]
    public async Task A_message_the_signer_cannot_parse_is_stored_unsigned()
    {
        Signer = new PrefixSigner(parsable: false);
        var (_, atCommit) = await DeliverAsync(Submission("alice@example.com"), "alice@example.com", ["alice@example.com"]);
        Assert.That(atCommit.Single().Status, Is.EqualTo(DeliveryStatus.Delivered));
        Assert.That(Encoding.UTF8.GetString(await ContentAsync((await ItemsAsync("alice@example.com")).Single())), Does.Not.Contain(SignatureLine));
    }

    /// <summary>Stands in for DKIM: a header line naming the domain, then the message; or MimeKit's parse failure.</summary>
    private sealed class PrefixSigner(bool parsable = true) : IMessageSigner
    {
        public async Task SignAsync(Stream input, Stream output, string domain, CancellationToken cancellationToken)
        {
            if (!parsable)
                throw new FormatException("Failed to parse message headers.");
            await output.WriteAsync(Encoding.UTF8.GetBytes(SignatureLine + domain + "\r\n"), cancellationToken);
            await input.CopyToAsync(output, cancellationToken);
        }
    }
}
