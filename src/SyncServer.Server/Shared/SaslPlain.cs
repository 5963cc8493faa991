namespace SyncServer.Server.Shared;

/// <summary>A decoded SASL PLAIN message (RFC 4616 §2), for every protocol that offers AUTH PLAIN.</summary>
public sealed record SaslPlain(string AuthorizationId, string User, string Password)
{
    /// <summary>Asks to act as another identity than the one authenticated; we offer no impersonation.</summary>
    public bool ActsForAnother => AuthorizationId.Length > 0 && !string.Equals(AuthorizationId, User, StringComparison.OrdinalIgnoreCase);

    /// <summary><c>[authzid] NUL authcid NUL passwd</c>; null when malformed.</summary>
    public static SaslPlain? Parse(string message)
    {
        var fields = message.Split('\0');
        return fields.Length == 3 && fields[1].Length > 0 ? new SaslPlain(fields[0], fields[1], fields[2]) : null;
    }

    // Never print a password, not even in a debug log.
    public override string ToString() => $"SaslPlain {{ User = {User} }}";
}
