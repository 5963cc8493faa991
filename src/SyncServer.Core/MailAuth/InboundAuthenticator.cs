using System.Net;
using System.Text;
using MimeKit;

namespace SyncServer.Core.MailAuth;

/// <summary>The checks' outcome: the <c>Authentication-Results</c> line (CRLF-terminated) and the DMARC verdict.</summary>
public sealed record AuthenticationVerdict(string Header, DmarcOutcome Dmarc)
{
    public bool DmarcFailed => Dmarc.Result == DmarcResult.Fail;
}

/// <summary>
/// SPF, DKIM and DMARC for one message arriving from another server, reported as one Authentication-Results
/// header (RFC 8601) under our server name.
/// </summary>
public sealed class InboundAuthenticator(IDnsLookup dns, string serverName)
{
    private readonly SpfEvaluator _spf = new(dns);
    private readonly DkimCheck _dkim = new(dns);
    private readonly DmarcCheck _dmarc = new(dns);

    /// <summary>Checks <paramref name="message"/> (seekable, at 0; read, never changed) from <paramref name="ip"/>.</summary>
    public async Task<AuthenticationVerdict> CheckAsync(IPAddress ip, string? helo, string? mailFrom, Stream message, CancellationToken cancellationToken)
    {
        helo = string.IsNullOrEmpty(helo) ? "unknown" : helo;
        var spf = await _spf.CheckAsync(ip, mailFrom, helo, cancellationToken);
        // The SPF identity: the MAIL FROM domain, or HELO for the null reverse path (RFC 7208 §2.4).
        var spfDomain = string.IsNullOrEmpty(mailFrom) ? helo : mailFrom[(mailFrom.LastIndexOf('@') + 1)..];

        var parsed = await ParseAsync(message, cancellationToken);
        var dkim = parsed is null ? new DkimOutcome(DkimResult.None, null, []) : await _dkim.VerifyAsync(parsed, cancellationToken);
        // DMARC needs exactly one From address (RFC 7489 §6.6.1); with none or several there is nothing to align with.
        var fromDomain = parsed?.From.Mailboxes.ToList() is [{ Domain: { Length: > 0 } domain }] ? domain : null;
        var dmarc = fromDomain is null
            ? new DmarcOutcome(DmarcResult.None, DmarcPolicy.None)
            : await _dmarc.EvaluateAsync(fromDomain, spf, spfDomain, dkim.PassingDomains, cancellationToken);
        return Verdict(spf, spfDomain, string.IsNullOrEmpty(mailFrom), dkim, fromDomain, dmarc);
    }

    /// <summary>The message, or null when MimeKit cannot parse it (then only SPF has something to say).</summary>
    private static async Task<MimeMessage?> ParseAsync(Stream message, CancellationToken cancellationToken)
    {
        try
        {
            // persistent: part contents stay on the (file) stream instead of being copied into memory.
            return await MimeMessage.LoadAsync(message, persistent: true, cancellationToken);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private AuthenticationVerdict Verdict(SpfResult spf, string spfDomain, bool nullSender, DkimOutcome dkim, string? fromDomain, DmarcOutcome dmarc)
    {
        var line = new StringBuilder("Authentication-Results: ").Append(serverName)
            .Append(";\r\n\tspf=").Append(Name(spf)).Append(nullSender ? " smtp.helo=" : " smtp.mailfrom=").Append(Safe(spfDomain))
            .Append(";\r\n\tdkim=").Append(Name(dkim.Result));
        if (dkim.Domain is not null)
            line.Append(" header.d=").Append(Safe(dkim.Domain));
        line.Append(";\r\n\tdmarc=").Append(Name(dmarc.Result));
        if (dmarc.Result is DmarcResult.Pass or DmarcResult.Fail)
            line.Append(" (p=").Append(Name(dmarc.Policy)).Append(')');
        if (fromDomain is not null)
            line.Append(" header.from=").Append(Safe(fromDomain));
        return new AuthenticationVerdict(line.Append("\r\n").ToString(), dmarc);
    }

    private static string Name<T>(T value) where T : Enum => value.ToString().ToLowerInvariant();

    // The domains come from the sender (envelope, HELO, headers): anything outside a domain's characters could forge header syntax.
    private static string Safe(string domain)
        => string.Concat(domain.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '?'));
}
