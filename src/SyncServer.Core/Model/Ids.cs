namespace SyncServer.Core.Model;

/// <summary>An account (a user's or a shared mailbox's) in the directory.</summary>
public readonly record struct AccountId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A collection: mailbox, calendar, task list, address book or notes folder.</summary>
public readonly record struct CollectionId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>An item, the same object seen through every protocol.</summary>
public readonly record struct ItemId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A value of an account's change counter: IMAP MODSEQ, the basis of SyncKeys and sync-tokens.</summary>
public readonly record struct ModSeq(long Value) : IComparable<ModSeq>
{
    public static readonly ModSeq Zero = new(0);
    public int CompareTo(ModSeq other) => Value.CompareTo(other.Value);
    public static bool operator <(ModSeq a, ModSeq b) => a.Value < b.Value;
    public static bool operator >(ModSeq a, ModSeq b) => a.Value > b.Value;
    public static bool operator <=(ModSeq a, ModSeq b) => a.Value <= b.Value;
    public static bool operator >=(ModSeq a, ModSeq b) => a.Value >= b.Value;
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>An IMAP UID: per collection, strictly increasing, never reused.</summary>
public readonly record struct ImapUid(uint Value) : IComparable<ImapUid>
{
    public int CompareTo(ImapUid other) => Value.CompareTo(other.Value);
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>IMAP UIDVALIDITY of a collection; a re-created collection gets a new one.</summary>
public readonly record struct UidValidity(uint Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A content-addressed blob: the lower-case hex SHA-256 of its bytes.</summary>
public readonly record struct BlobId
{
    public BlobId(string sha256Hex)
    {
        if (sha256Hex.Length != 64 || !sha256Hex.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException("A blob id is 64 lower-case hex digits.", nameof(sha256Hex));
        Sha256Hex = sha256Hex;
    }

    public string Sha256Hex { get; }

    public override string ToString() => Sha256Hex;
}

/// <summary>A message waiting in the outbound queue.</summary>
public readonly record struct QueuedMessageId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One recipient of a queued message; each has its own state and retry schedule.</summary>
public readonly record struct QueuedRecipientId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// One SMTP-style delivery while it files copies: the id in its <c>Received:</c> line. Copies and queued messages
/// written under it are "unfinished" until <c>IStore.FinishDeliveryAsync</c>; a crash before that rolls them back.
/// </summary>
public readonly record struct DeliveryId(string Value)
{
    public override string ToString() => Value;
}
