using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace SyncServer.Core.MailAuth;

/// <summary>DKIM results as Authentication-Results reports them (RFC 8601 §2.7.1).</summary>
public enum DkimResult
{
    None = 0,
    Pass = 1,
    Fail = 2,
    TempError = 3,
    PermError = 4,
}

/// <summary>The overall result and the signing domains (d=) whose signatures verified, which DMARC aligns with From.</summary>
public sealed record DkimOutcome(DkimResult Result, string? Domain, IReadOnlyList<string> PassingDomains);

/// <summary>Verifies every DKIM-Signature of a message (RFC 6376) with MimeKit, keys from DNS TXT.</summary>
public sealed class DkimCheck(IDnsLookup dns)
{
    /// <summary>
    /// Pass when any signature verifies (its d= is reported); otherwise temperror when a key lookup failed
    /// transiently, else fail for a signature that did not verify, else permerror (unusable signature or key).
    /// </summary>
    public async Task<DkimOutcome> VerifyAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var verifier = new DkimVerifier(new TxtKeyLocator(dns));
        var passing = new List<string>();
        var results = new List<(DkimResult Result, string? Domain)>();
        foreach (var header in message.Headers.Where(h => h.Id == HeaderId.DkimSignature))
        {
            var domain = Tag(header.Value, "d");
            var result = await VerifyAsync(verifier, message, header, cancellationToken);
            if (result == DkimResult.Pass && domain is not null)
                passing.Add(domain);
            results.Add((result, domain));
        }
        if (results.Count == 0)
            return new DkimOutcome(DkimResult.None, null, []);
        var reported = results.MinBy(r => r.Result switch { DkimResult.Pass => 0, DkimResult.TempError => 1, DkimResult.Fail => 2, _ => 3 });
        return new DkimOutcome(reported.Result, reported.Domain, passing);
    }

    private static async Task<DkimResult> VerifyAsync(DkimVerifier verifier, MimeMessage message, Header header, CancellationToken cancellationToken)
    {
        try
        {
            return await verifier.VerifyAsync(message, header, cancellationToken) ? DkimResult.Pass : DkimResult.Fail;
        }
        catch (DkimKeyUnavailableException e)
        {
            return e.Temporary ? DkimResult.TempError : DkimResult.PermError;
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or ParseException)
        {
            return DkimResult.PermError; // a malformed signature or key record, or an algorithm MimeKit does not verify
        }
    }

    /// <summary>The value of one <c>tag=value</c> of a DKIM-Signature (RFC 6376 §3.2), whitespace removed.</summary>
    internal static string? Tag(string value, string name)
        => value.Split(';')
            .Select(t => t.Split('=', 2))
            .Where(t => t.Length == 2 && t[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(t => string.Concat(t[1].Where(c => !char.IsWhiteSpace(c))))
            .FirstOrDefault();

    /// <summary>Looks the key up at <c>selector._domainkey.domain</c> (RFC 6376 §3.6.2.1).</summary>
    private sealed class TxtKeyLocator(IDnsLookup dns) : DkimPublicKeyLocatorBase
    {
        public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
        {
            var answer = await dns.TxtAsync($"{selector}._domainkey.{domain}", cancellationToken);
            if (answer.Outcome == DnsOutcome.Failed)
                throw new DkimKeyUnavailableException(temporary: true);
            if (answer.Records.Count == 0)
                throw new DkimKeyUnavailableException(temporary: false);
            return GetPublicKey(answer.Records[0]);
        }

        // Delivery only ever verifies asynchronously; a blocking DNS lookup here would hold a thread-pool thread.
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default)
            => throw new NotSupportedException("use VerifyAsync");
    }

    private sealed class DkimKeyUnavailableException(bool temporary) : Exception("DKIM key not available")
    {
        public bool Temporary => temporary;
    }
}
