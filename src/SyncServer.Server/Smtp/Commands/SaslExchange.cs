using System.Text;
using SyncServer.Protocols.Smtp;
using SyncServer.Server.Shared;

namespace SyncServer.Server.Smtp.Commands;

/// <summary>The challenge/response lines of AUTH (RFC 4954 §4) for the PLAIN (RFC 4616) and LOGIN mechanisms.</summary>
internal readonly struct SaslExchange(SmtpSession session, CancellationToken cancellationToken)
{
    // RFC 4954 §4: a response line may be 12288 octets; longer ones end the session (5.5.6 is registered for it).
    private const int MaxResponseLength = 12288;

    private static readonly SmtpReply Cancelled = new(501, "5.7.0", "Authentication cancelled");
    private static readonly SmtpReply Malformed = new(501, "5.5.2", "Cannot decode the authentication response");
    private static readonly SmtpReply OtherIdentity = new(535, "5.7.8", "Authorization identity must be the authenticated user");
    private static readonly SmtpReply LineTooLong = new(500, "5.5.6", "Authentication exchange line is too long");

    public sealed record Credentials(string? User, string? Password, SmtpReply? Error);

    /// <summary>PLAIN: <c>authzid NUL authcid NUL password</c>; an authzid other than the user is refused (no impersonation).</summary>
    public async ValueTask<Credentials> PlainAsync(string? initialResponse)
    {
        var (response, error) = await ResponseAsync(initialResponse, "");
        if (error is not null)
            return new Credentials(null, null, error);
        return SaslPlain.Parse(response!) switch
        {
            null => new Credentials(null, null, Malformed),
            { ActsForAnother: true } => new Credentials(null, null, OtherIdentity),
            var plain => new Credentials(plain.User, plain.Password, null),
        };
    }

    /// <summary>LOGIN: the user name (or an initial response carrying it), then the password, each base64.</summary>
    public async ValueTask<Credentials> LoginAsync(string? initialResponse)
    {
        var (user, error) = await ResponseAsync(initialResponse, "VXNlcm5hbWU6"); // "Username:"
        if (error is not null)
            return new Credentials(null, null, error);
        var (password, passwordError) = await ResponseAsync(null, "UGFzc3dvcmQ6"); // "Password:"
        return passwordError is not null ? new Credentials(null, null, passwordError) : new Credentials(user, password, null);
    }

    private async ValueTask<(string? Text, SmtpReply? Error)> ResponseAsync(string? initialResponse, string challenge)
    {
        var line = initialResponse;
        if (line is null)
        {
            session.Connection.Reply(new SmtpReply(334, null, challenge));
            line = await session.Connection.ReadLineAsync(MaxResponseLength, session.Options.Timeouts.Command, cancellationToken);
            if (line is null)
            {
                session.State = SmtpState.Closed;
                return (null, LineTooLong);
            }
        }
        if (line == "*")
            return (null, Cancelled);
        return line == "=" ? ("", null) : Decode(line);
    }

    private static (string? Text, SmtpReply? Error) Decode(string base64)
    {
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
            return (null, Malformed);
        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, Malformed);
        }
    }
}
