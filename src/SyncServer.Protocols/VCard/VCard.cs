namespace SyncServer.Protocols.VCard;

/// <summary>
/// One vCard: the content lines between <c>BEGIN:VCARD</c> and <c>END:VCARD</c>, in order, VERSION included
/// where it was written. Unknown and X- properties are kept like any other. Immutable: the <c>With…</c>,
/// <see cref="Set"/> and <see cref="RemoveAll"/> methods return a changed copy that keeps the original text of
/// every property they did not touch, so <see cref="VCardWriter.Write"/> of an unchanged card gives back the
/// bytes it was parsed from.
/// </summary>
public sealed class VCard
{
    private const string Begin = "BEGIN:VCARD";
    private const string End = "END:VCARD";

    /// <summary>A card made in code. Give it a VERSION property (see <see cref="Create"/>).</summary>
    public VCard(IEnumerable<VCardProperty> properties)
        : this([.. properties], null, null)
    {
    }

    internal VCard(IReadOnlyList<VCardProperty> properties, string? beginText, string? endText)
    {
        Properties = properties;
        BeginText = beginText ?? Begin + "\r\n";
        EndText = endText ?? End + "\r\n";
    }

    /// <summary>The content lines in order, without BEGIN and END.</summary>
    public IReadOnlyList<VCardProperty> Properties { get; }

    /// <summary>The BEGIN line as read (anything before it, and its line break, included).</summary>
    internal string BeginText { get; }

    /// <summary>The END line as read (its line break and anything after it included).</summary>
    internal string EndText { get; }

    /// <summary>The VERSION value; <see cref="VCardVersion.Unknown"/> when absent or unknown.</summary>
    public VCardVersion Version => VCardVersions.Parse(Find("VERSION")?.RawValue);

    /// <summary>The UID value (text), or null.</summary>
    public string? Uid => Find("UID")?.GetText();

    /// <summary>The FN value (text), or null.</summary>
    public string? FormattedName => Find("FN")?.GetText();

    /// <summary>The EMAIL values in card order, the preferred (<see cref="VCardProperty.Preference"/>) first.</summary>
    public IReadOnlyList<string> Emails =>
        [.. FindAll("EMAIL").Select((p, i) => (p, i)).OrderBy(x => x.p.Preference ?? 101).ThenBy(x => x.i)
            .Select(x => x.p.GetText().Trim()).Where(e => e.Length > 0)];

    /// <summary>The first property called <paramref name="name"/> (any group), or null.</summary>
    public VCardProperty? Find(string name) => Properties.FirstOrDefault(p => p.Is(name));

    /// <summary>Every property called <paramref name="name"/> (any group), in order.</summary>
    public IEnumerable<VCardProperty> FindAll(string name) => Properties.Where(p => p.Is(name));

    /// <summary>A copy with these properties (BEGIN/END text kept).</summary>
    public VCard WithProperties(IEnumerable<VCardProperty> properties) => new([.. properties], BeginText, EndText);

    /// <summary>
    /// A copy where <paramref name="property"/> replaces every property of its name: it takes the place of the
    /// first one, or is appended when there was none.
    /// </summary>
    public VCard Set(VCardProperty property)
    {
        var result = new List<VCardProperty>(Properties.Count + 1);
        var placed = false;
        foreach (var existing in Properties)
        {
            if (!existing.Is(property.Name))
                result.Add(existing);
            else if (!placed)
            {
                result.Add(property);
                placed = true;
            }
        }
        if (!placed)
            result.Add(property);
        return WithProperties(result);
    }

    /// <summary>A copy without the properties called <paramref name="name"/>.</summary>
    public VCard RemoveAll(string name) => WithProperties(Properties.Where(p => !p.Is(name)));

    /// <summary>A new card of <paramref name="version"/> with VERSION first, then <paramref name="properties"/>.</summary>
    public static VCard Create(VCardVersion version, params IEnumerable<VCardProperty> properties) =>
        new([new VCardProperty(null, "VERSION", [], version.ToText() ?? throw new ArgumentOutOfRangeException(nameof(version))), .. properties]);

    /// <summary>The card as text (<see cref="VCardWriter.Write"/>).</summary>
    public override string ToString() => VCardWriter.Write(this);
}
