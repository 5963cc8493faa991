namespace SyncServer.Protocols.Imap;

/// <summary>
/// Typed pieces of response data (RFC 9051 §4), from which FETCH items such as ENVELOPE and BODYSTRUCTURE are
/// built; <see cref="ImapValueWriter"/> chooses each one's wire form.
/// </summary>
public abstract record ImapValue
{
    public static readonly ImapValue Nil = new ImapNil();

    public static ImapValue Number(ulong n) => new ImapNumber(n);

    /// <summary>A string, or NIL for null.</summary>
    public static ImapValue NString(string? text) => text is null ? Nil : new ImapString(System.Text.Encoding.UTF8.GetBytes(text));

    public static ImapValue List(params IReadOnlyList<ImapValue> items) => new ImapList(items);
}

public sealed record ImapNil : ImapValue;

public sealed record ImapNumber(ulong Value) : ImapValue;

/// <summary>An atom written as is, e.g. a flag or a keyword. The caller vouches it is one.</summary>
public sealed record ImapAtom(string Text) : ImapValue;

/// <summary>
/// A string written quoted or as a literal, whichever it needs. <see cref="Binary"/>: content that may hold NUL
/// (BINARY fetch), always a literal8 <c>~{n}</c> (RFC 3516 §4.2).
/// </summary>
public sealed record ImapString(ReadOnlyMemory<byte> Octets, bool Binary = false) : ImapValue;

/// <summary>A parenthesised list.</summary>
public sealed record ImapList(IReadOnlyList<ImapValue> Items) : ImapValue;
