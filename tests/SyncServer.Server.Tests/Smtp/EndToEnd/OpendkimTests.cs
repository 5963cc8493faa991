using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using SyncServer.Server.Tests.Shared;

namespace SyncServer.Server.Tests.Smtp.EndToEnd;

/// <summary>
/// Issue 3 DKIM acceptance, cross-checked with Debian's OpenDKIM (installed by <c>.ci/run</c>): the stored copy of a
/// submitted message verifies with <c>opendkim -t</c> against the TXT record <c>./syncserver domain dkim</c> prints.
/// <c>opendkim-testmsg</c> can only ask the system's resolvers (no nameserver or port option), so the filter's test
/// mode is used instead, with its <c>TestPublicKeys</c> file standing in for DNS: no query leaves the machine.
/// The message is 8-bit (sent as such over 8BITMIME): signing adds its header and leaves the sent bytes as they were.
/// </summary>
public sealed class OpendkimTests
{
    private const string Opendkim = "/usr/sbin/opendkim";

    [Test]
    public async Task Submitted_8bit_mail_keeps_its_bytes_verifies_with_opendkim_and_a_tampered_copy_does_not()
    {
        Assert.That(File.Exists(Opendkim), Is.True, "opendkim is missing: apt-get install opendkim opendkim-tools (see .ci/run)");
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(RealServer.User));
        message.To.Add(MailboxAddress.Parse(RealServer.User));
        message.Subject = "checked by opendkim";
        message.Body = new TextPart("plain") { Text = "Grüße from the DKIM cross-check.\nSecond line.\n", ContentTransferEncoding = ContentEncoding.EightBit };
        var sent = new MemoryStream();
        await message.WriteToAsync(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, sent);
        using (var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true })
        {
            await client.ConnectAsync("127.0.0.1", RealServer.Submission, SecureSocketOptions.StartTls);
            await client.AuthenticateAsync(RealServer.User, RealServer.Password);
            await client.SendAsync(message);
            await client.DisconnectAsync(true);
        }
        var stored = (await RealServer.InboxAsync(RealServer.User)).Single(m => Encoding.UTF8.GetString(m).Contains(message.MessageId!));
        Assert.That(stored[^(int)sent.Length..], Is.EqualTo(sent.ToArray()), "the 8-bit message as sent, after our headers");

        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "syncserver-opendkim-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var record = await RealServer.DkimKeys.GetDnsRecordAsync("example.org", CancellationToken.None);
            var keys = Path.Combine(directory, "keys");
            await File.WriteAllTextAsync(keys, $"syncserver._domainkey.example.org {record}\n");
            var config = Path.Combine(directory, "opendkim.conf");
            await File.WriteAllTextAsync(config, $"Mode v\nSyslog no\nTestPublicKeys {keys}\n");

            var (_, verified) = await VerifyAsync(config, Path.Combine(directory, "stored.eml"), stored);
            Assert.That(verified, Does.Contain("verification (s=syncserver, d=example.org, 2048-bit key) succeeded"));

            var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(stored).Replace("Second line.", "Second line!", StringComparison.Ordinal));
            var (_, refused) = await VerifyAsync(config, Path.Combine(directory, "tampered.eml"), tampered);
            Assert.That(refused, Does.Contain("failed: body hash mismatch").Or.Contain("failed: signature verification failed"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> VerifyAsync(string config, string path, byte[] message)
    {
        await File.WriteAllBytesAsync(path, message);
        return await DebianTool.RunAsync(Opendkim, ["-x", config, "-t", path]);
    }
}
