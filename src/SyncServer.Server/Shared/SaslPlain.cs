namespace SyncServer.Server.Shared;

/// <summary>The SASL PLAIN message (RFC 4616 §2), for every protocol that offers AUTH PLAIN.</summary>
public static class SaslPlain
{
    /// <summary>
    /// <c>[authzid] NUL authcid NUL passwd</c> → user and password; null when malformed or when it asks to act
    /// as another identity than the one authenticated (we offer no impersonation).
    /// </summary>
    public static (string User, string Password)? Parse(string message)
    {
        var fields = message.Split('\0');
        if (fields.Length != 3 || fields[1].Length == 0)
            return null;
        var impersonating = fields[0].Length > 0 && !string.Equals(fields[0], fields[1], StringComparison.OrdinalIgnoreCase);
        return impersonating ? null : (fields[1], fields[2]);
    }
}
