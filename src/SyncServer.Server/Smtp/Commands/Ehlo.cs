using SyncServer.Protocols.Smtp;

namespace SyncServer.Server.Smtp.Commands;

/// <summary>EHLO and HELO (RFC 5321 §4.1.1.1): greet, end any transaction, and for EHLO list the extensions.</summary>
internal static class EhloCommand
{
    private static readonly string[] AuthMechanisms = ["PLAIN", "LOGIN"];

    public static async ValueTask HandleAsync(SmtpSession session, Ehlo command)
    {
        await session.GreetAsync(command.DomainOrAddressLiteral, extended: true);
        session.Reply(SmtpReplies.Ehlo(session.Options.ServerName, "Hello " + command.DomainOrAddressLiteral, Extensions(session)));
    }

    public static async ValueTask HandleAsync(SmtpSession session, Helo command)
    {
        await session.GreetAsync(command.DomainOrAddressLiteral, extended: false);
        session.Reply(SmtpReplies.Helo(session.Options.ServerName));
    }

    private static IEnumerable<string> Extensions(SmtpSession session)
    {
        yield return SmtpExtensions.Size(session.Options.MaxMessageSize);
        yield return SmtpExtensions.Pipelining;
        yield return SmtpExtensions.EightBitMime;
        yield return SmtpExtensions.SmtpUtf8;
        yield return SmtpExtensions.EnhancedStatusCodes;
        yield return SmtpExtensions.Chunking;
        yield return SmtpExtensions.Dsn;
        if (!session.Connection.IsTls)
            yield return SmtpExtensions.StartTls;
        if (session.MayAuthenticate)
            yield return SmtpExtensions.Auth(AuthMechanisms);
    }
}
