using System.Text;

namespace SyncServer.Protocols.Smtp;

/// <summary>
/// A mailbox of an SMTP path (RFC 5321 §4.1.2). <see cref="LocalPart"/> is unquoted (quoted-pairs resolved), so
/// <c>"a b"@x</c> and <c>"a\ b"@x</c> compare equal; <see cref="ToString"/> quotes it again when it must.
/// <see cref="Domain"/> is a domain name or an address literal with its brackets (<c>[IPv6:2001:db8::1]</c>);
/// it is empty only for the special forward path <c>&lt;Postmaster&gt;</c> (see <see cref="IsLocalPostmaster"/>).
/// Source routes (<c>&lt;@a,@b:user@d&gt;</c>) are dropped as RFC 5321 §3.3 and Appendix C allow.
/// </summary>
public sealed record SmtpAddress(string LocalPart, string Domain)
{
    /// <summary>RCPT TO:&lt;Postmaster&gt; — the postmaster of this server, which must always be accepted.</summary>
    public bool IsLocalPostmaster => Domain.Length == 0;

    /// <summary>True when the address holds non-ASCII characters and so needs SMTPUTF8 (RFC 6531).</summary>
    public bool IsInternationalized => !Ascii.IsValid(LocalPart) || !Ascii.IsValid(Domain);

    /// <summary>The mailbox as it is written in a path, without the angle brackets.</summary>
    public override string ToString()
    {
        var local = SmtpPathParser.IsDotString(LocalPart) ? LocalPart : Quote(LocalPart);
        return IsLocalPostmaster ? local : local + "@" + Domain;
    }

    private static string Quote(string localPart)
    {
        var quoted = new StringBuilder(localPart.Length + 2).Append('"');
        foreach (var c in localPart)
            quoted.Append(c is '"' or '\\' ? "\\" : "").Append(c);
        return quoted.Append('"').ToString();
    }
}
