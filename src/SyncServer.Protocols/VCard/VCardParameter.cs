namespace SyncServer.Protocols.VCard;

/// <summary>
/// One parameter of a content line (RFC 6350 §5, RFC 2426 §4): a name and its values, decoded — quotes removed,
/// RFC 6868 <c>^</c>-escapes resolved, a comma-separated list split into <see cref="Values"/>. A vCard 2.1 bare
/// parameter (<c>TEL;HOME;VOICE:</c>) is read as <c>TYPE=HOME</c>, <c>TYPE=VOICE</c>, and a bare
/// <c>QUOTED-PRINTABLE</c> or <c>BASE64</c> as <c>ENCODING=…</c>.
/// </summary>
public sealed record VCardParameter(string Name, IReadOnlyList<string> Values)
{
    /// <summary>A parameter with one value.</summary>
    public VCardParameter(string name, string value) : this(name, [value])
    {
    }

    /// <summary>Whether this parameter is called <paramref name="name"/> (names are case-insensitive).</summary>
    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>Value equality, values compared in order.</summary>
    public bool Equals(VCardParameter? other) =>
        other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal) && Values.SequenceEqual(other.Values, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Values.Count);
}

/// <summary>A decoded binary value: base64 (<c>ENCODING=b</c>, <c>ENCODING=BASE64</c>) or a <c>data:</c> URI.</summary>
/// <param name="Data">The bytes.</param>
/// <param name="MediaType">The media type, e.g. <c>image/jpeg</c>, when the card says it (3.0 <c>TYPE=JPEG</c>, a data URI's type).</param>
public sealed record VCardBinary(byte[] Data, string? MediaType);
