using System.Text;
using SyncServer.Protocols.Imap;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Imap.Commands;

/// <summary>AUTHENTICATE PLAIN (RFC 9051 §6.2.2, RFC 4616) with an initial response (RFC 4959 SASL-IR).</summary>
public static class AuthenticateCommand
{
    public static async Task HandleAsync(ImapSession session, Authenticate command, CancellationToken cancellationToken)
    {
        if (!session.Connection.IsTls || !command.Mechanism.Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            session.No(command.Tag, "Unsupported mechanism", ImapResponseCode.CannotDo);
            return;
        }
        var response = command.InitialResponse ?? await ReadResponseAsync(session, command.Tag, cancellationToken);
        if (response is null)
            return;
        if (SaslPlain.Parse(Encoding.UTF8.GetString(response)) is not { ActsForAnother: false } credentials)
        {
            session.No(command.Tag, "Authentication failed", ImapResponseCode.AuthenticationFailed);
            return;
        }
        await LoginCommand.LogInAsync(session, command.Tag, credentials.User, credentials.Password, cancellationToken);
    }

    /// <summary>Asks for the response with an empty challenge; null when the client cancelled or sent garbage (answered here).</summary>
    private static async Task<byte[]?> ReadResponseAsync(ImapSession session, string tag, CancellationToken cancellationToken)
    {
        session.Write(new ImapContinuationResponse(""));
        await session.Connection.FlushAsync(cancellationToken);
        var line = await session.ReadAsync(session.Connection.ReadLineAsync);
        if (line?.Text is not { } text)
        {
            if (line is not null)
                session.Bad(tag, line.Error?.Message ?? "Expected a SASL response");
            return null;
        }
        if (text == "*")
        {
            session.Bad(tag, "Authentication cancelled");
            return null;
        }
        var decoded = SaslResponse.Decode(text);
        if (decoded is null)
            session.Bad(tag, "SASL response is not base64");
        return decoded;
    }
}
