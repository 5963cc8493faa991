using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Cryptography;
using SyncServer.Core.Delivery;
using SyncServer.Core.Directory;
using SyncServer.Server.Hosting;

namespace SyncServer.Server.Shared;

/// <summary>
/// DKIM-signs submitted mail for the sender's domain (RFC 6376, rsa-sha256, relaxed/relaxed). Local delivery calls it
/// as its <see cref="IMessageSigner"/> when it commits a message of the submission channel (SMTP submission, SMTPS
/// and ActiveSync SendMail alike).
/// </summary>
public sealed class DkimSigning(DkimKeys keys, DkimSettings settings) : IMessageSigner
{
    private static readonly HeaderId[] SignedHeaders =
    [
        HeaderId.From, HeaderId.Sender, HeaderId.ReplyTo, HeaderId.To, HeaderId.Cc, HeaderId.Subject, HeaderId.Date,
        HeaderId.MessageId, HeaderId.InReplyTo, HeaderId.References, HeaderId.MimeVersion, HeaderId.ContentType,
        HeaderId.ContentTransferEncoding,
    ];

    // SMTP's line ends, whatever the platform's: MimeKit's default is the platform's (LF on Linux).
    private static readonly FormatOptions Wire = new() { NewLineFormat = NewLineFormat.Dos };

    private readonly ConcurrentDictionary<string, DkimSigner> _signers = new(StringComparer.OrdinalIgnoreCase);

    public string Selector => settings.Selector;

    /// <summary>
    /// Reads a message from <paramref name="input"/> (seekable: the delivery's spool) and writes to
    /// <paramref name="output"/> the DKIM-Signature header followed by the message's bytes exactly as they came, so
    /// copies stay byte-identical to what the client sent, 8-bit parts included. MimeKit parses the message to sign it
    /// and holds it in memory meanwhile; submitted mail is bounded by <c>Limits:MaxMessageSize</c>. (RFC 6376 §5.3's
    /// advice to convert to 7-bit first is not followed: a hop without 8BITMIME re-encoding a part breaks the body hash.)
    /// </summary>
    public async Task SignAsync(Stream input, Stream output, string domain, CancellationToken cancellationToken)
    {
        using var message = await MimeMessage.LoadAsync(input, cancellationToken);
        var signer = await SignerAsync(domain, cancellationToken);
        signer.Sign(Wire, message, SignedHeaders);
        // The header as the signer folded it, with SMTP's CRLF at the folds (MimeKit folds with LF; relaxed header
        // canonicalization unfolds, so the line ends are not part of what was signed).
        var signature = message.Headers.First(h => h.Id == HeaderId.DkimSignature);
        var field = signature.Field + ":" + Encoding.ASCII.GetString(signature.RawValue).ReplaceLineEndings("\r\n");
        await output.WriteAsync(Encoding.ASCII.GetBytes(field), cancellationToken);
        input.Position = 0;
        await input.CopyToAsync(output, cancellationToken);
    }

    /// <summary>
    /// The domain's signer, made once per process: loading the PEM key into a signer took about three times as long
    /// as signing itself (bench/smtp, submission). A signer holds only its settings and the key; each Sign call
    /// makes its own signing context, so concurrent sessions share it.
    /// </summary>
    private async Task<DkimSigner> SignerAsync(string domain, CancellationToken cancellationToken)
    {
        if (_signers.TryGetValue(domain, out var signer))
            return signer;
        using var pem = new MemoryStream(Encoding.ASCII.GetBytes(await keys.GetPrivateKeyPemAsync(domain, cancellationToken)));
        return _signers.GetOrAdd(domain, new DkimSigner(pem, domain, settings.Selector, DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            AgentOrUserIdentifier = "@" + domain,
        });
    }
}

/// <summary>
/// One RSA 2048 DKIM key per domain, made on first use and kept as PEM in <c>{DataDirectory}/dkim/{domain}.pem</c>
/// (mode 0600), so serve and the CLI share it.
/// </summary>
public sealed class DkimKeys(string directory)
{
    /// <summary>DNS TXT character-strings hold at most 255 octets each (RFC 1035 §3.3).</summary>
    private const int MaxTxtString = 255;

    public static DkimKeys For(SyncServerSettings settings) => new(Path.Combine(Path.GetFullPath(settings.DataDirectory), "dkim"));

    // A key never changes once made, so each is read (or made) once per process, not once per signed message;
    // concurrent first uses in one process share one key generation.
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _pems = new(StringComparer.Ordinal);

    public Task<string> GetPrivateKeyPemAsync(string domain, CancellationToken cancellationToken)
    {
        var path = PathOf(domain);
        var pem = _pems.GetOrAdd(path, NewEntry);
        if (pem.IsValueCreated && pem.Value.IsFaulted)
        {
            // A failed read (a full disk, say) is not remembered: the next message tries again.
            _pems.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(path, pem));
            pem = _pems.GetOrAdd(path, NewEntry);
        }
        return pem.Value.WaitAsync(cancellationToken);
    }

    private Lazy<Task<string>> NewEntry(string path) => new(() => LoadOrCreateAsync(path));

    private async Task<string> LoadOrCreateAsync(string path)
    {
        if (!File.Exists(path))
            await CreateAsync(path, CancellationToken.None);
        return await File.ReadAllTextAsync(path, CancellationToken.None);
    }

    /// <summary>The TXT record's text: <c>v=DKIM1; k=rsa; p=</c> and the public key (SubjectPublicKeyInfo, base64).</summary>
    public async Task<string> GetDnsRecordAsync(string domain, CancellationToken cancellationToken)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(await GetPrivateKeyPemAsync(domain, cancellationToken));
        return $"v=DKIM1; k=rsa; p={Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())}";
    }

    /// <summary>The record as a zone-file line, the text split into quoted strings of at most 255 characters.</summary>
    public static string ZoneLine(string selector, string domain, string record)
        => $"{selector}._domainkey.{domain} IN TXT " + string.Join(" ", record.Chunk(MaxTxtString).Select(c => $"\"{new string(c)}\""));

    private string PathOf(string domain) => EmailAddress.TryParseDomain(domain, out var name)
        ? Path.Combine(directory, name + ".pem")
        : throw new ArgumentException($"'{domain}' is not a domain name", nameof(domain));

    private async Task CreateAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        using var rsa = RSA.Create(2048);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var file = new FileStream(temporary, options))
        {
            await file.WriteAsync(Encoding.ASCII.GetBytes(rsa.ExportRSAPrivateKeyPem()), cancellationToken);
            file.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made the key first; everyone uses that one.
            File.Delete(temporary);
        }
    }
}
