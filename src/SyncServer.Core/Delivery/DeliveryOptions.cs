namespace SyncServer.Core.Delivery;

/// <summary>Settings of local delivery.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Our host name in <c>Received:</c> trace lines.</summary>
    public string ServerName { get; set; } = "localhost";

    /// <summary>Accepted recipients per message; more are answered 452 4.5.3 (RFC 5321 §4.5.3.1.8 asks for at least 100).</summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>Where bodies are spooled while they arrive (up to the message size limit each): a folder under the data directory, not a RAM-backed /tmp.</summary>
    public string TempDirectory { get; set; } = Path.Combine("data", "spool");

    /// <summary>How many aliases and lists one recipient may pass through before it is a routing loop.</summary>
    public int MaxExpansionDepth { get; set; } = 8;

    /// <summary>
    /// Refuse MX mail that fails DMARC when its domain publishes <c>p=reject</c> (550 5.7.1). Off, such mail is filed
    /// into Junk like <c>p=quarantine</c>.
    /// </summary>
    public bool EnforceDmarcReject { get; set; }
}
