using System.Text;
using SyncServer.Protocols.Pop3;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Pop3.Commands;

/// <summary>AUTH PLAIN (RFC 5034, RFC 4616), with or without an initial response; only over TLS.</summary>
internal static class AuthCommand
{
    // RFC 5034 §4: a response line may be up to 255 octets by default; PLAIN with long passwords needs more.
    private const int MaxResponseLength = 12288;

    public static async Task HandleAsync(Pop3Session session, Auth command, CancellationToken cancellationToken)
    {
        if (!session.Connection.IsTls)
        {
            session.Err("Use STLS first", UserCommand.TlsRequired);
            return;
        }
        if (command.Mechanism != "PLAIN")
        {
            session.Err("Unsupported mechanism");
            return;
        }
        var response = command.InitialResponse;
        if (response is null)
        {
            session.Continue();
            response = await session.Connection.ReadLineAsync(MaxResponseLength, session.Services.Options.AutologoutTimeout, cancellationToken);
            if (response is null)
            {
                session.State = Pop3State.Closed;
                return;
            }
        }
        if (response == "*")
        {
            session.Err("Authentication cancelled");
            return;
        }
        if (Decode(response) is not { } message || SaslPlain.Parse(message) is not { ActsForAnother: false } credentials)
        {
            session.Err("Cannot decode the authentication response", "AUTH");
            return;
        }
        await PassCommand.LogInAsync(session, credentials.User, credentials.Password, cancellationToken);
    }

    // "=" is the empty initial response (RFC 5034 §4).
    private static string? Decode(string base64)
    {
        if (base64 == "=")
            return "";
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var length) ? Encoding.UTF8.GetString(bytes, 0, length) : null;
    }
}
