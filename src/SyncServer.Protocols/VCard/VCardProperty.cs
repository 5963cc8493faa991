using System.Globalization;

namespace SyncServer.Protocols.VCard;

/// <summary>
/// One content line of a vCard (RFC 6350 §3.3): <c>[group "."] name *(";" param) ":" value</c>.
/// <see cref="RawValue"/> is the value exactly as on the wire after unfolding — still escaped, still
/// quoted-printable or base64 when the line says so; the <c>Get…</c> accessors decode it. Immutable: the
/// <c>With…</c> methods return a changed copy, and a changed copy forgets <see cref="OriginalText"/> so the
/// writer formats it afresh while untouched properties keep their original bytes.
/// </summary>
public sealed class VCardProperty
{
    /// <summary>A property made in code (no original text).</summary>
    /// <param name="group">The group (<c>item1</c> in <c>item1.EMAIL</c>), or null.</param>
    /// <param name="name">The property name as it is to be written, e.g. <c>EMAIL</c> or <c>X-ABLabel</c>.</param>
    /// <param name="parameters">The parameters, in order.</param>
    /// <param name="rawValue">The value as it goes on the wire (escaped). Build text values with <see cref="Text"/>.</param>
    public VCardProperty(string? group, string name, IReadOnlyList<VCardParameter> parameters, string rawValue)
        : this(group, name, parameters, rawValue, null)
    {
    }

    internal VCardProperty(string? group, string name, IReadOnlyList<VCardParameter> parameters, string rawValue, string? originalText)
    {
        Group = string.IsNullOrEmpty(group) ? null : group;
        Name = name;
        Parameters = parameters;
        RawValue = rawValue;
        OriginalText = originalText;
    }

    /// <summary>The group, or null. Groups tie properties together (Apple's <c>item1.EMAIL</c> + <c>item1.X-ABLabel</c>).</summary>
    public string? Group { get; }

    /// <summary>The name as written. Names are case-insensitive: compare with <see cref="Is"/>.</summary>
    public string Name { get; }

    /// <summary>The parameters in the order they were written.</summary>
    public IReadOnlyList<VCardParameter> Parameters { get; }

    /// <summary>The value after unfolding, before any decoding.</summary>
    public string RawValue { get; }

    /// <summary>
    /// The exact text this property was read from: its physical lines with their original folding and line
    /// breaks (and any blank lines that followed). Null when the property was made or changed in code.
    /// </summary>
    public string? OriginalText { get; }

    /// <summary>Whether the property is called <paramref name="name"/> (case-insensitive, group ignored).</summary>
    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>The first value of the first parameter called <paramref name="name"/>, or null.</summary>
    public string? GetParameter(string name)
    {
        foreach (var parameter in Parameters)
            if (parameter.Is(name) && parameter.Values.Count > 0)
                return parameter.Values[0];
        return null;
    }

    /// <summary>Every value of every parameter called <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<string> GetParameterValues(string name) =>
        [.. Parameters.Where(p => p.Is(name)).SelectMany(p => p.Values)];

    /// <summary>
    /// The TYPE values in lower case, a quoted list (<c>TYPE="work,voice"</c>) split at its commas;
    /// vCard 2.1 bare types included.
    /// </summary>
    public IReadOnlyList<string> Types =>
        [.. GetParameterValues("TYPE").SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => v.ToLowerInvariant())];

    /// <summary>
    /// The preference, 1 = most preferred: 4.0 <c>PREF=n</c>, or 1 for a 3.0/2.1 <c>TYPE=pref</c>. Null when neither.
    /// </summary>
    public int? Preference
    {
        get
        {
            if (int.TryParse(GetParameter("PREF"), NumberStyles.None, CultureInfo.InvariantCulture, out var pref) && pref is >= 1 and <= 100)
                return pref;
            return Types.Contains("pref") ? 1 : null;
        }
    }

    /// <summary>
    /// The value as text: transfer encoding undone (2.1 QUOTED-PRINTABLE with its CHARSET) and backslash escapes
    /// resolved (<c>\\ \, \; \n</c>). Structured separators become plain <c>;</c> and <c>,</c>.
    /// </summary>
    public string GetText() => VCardEscaping.Unescape(VCardEncodings.DecodeTransfer(this));

    /// <summary>
    /// A structured value (N, ADR, ORG, GENDER…) as components split at unescaped <c>;</c>, each a list split at
    /// unescaped <c>,</c>, unescaped. <c>N:Doe;John;;;</c> gives five components.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> GetComponents() => VCardEscaping.SplitStructured(VCardEncodings.DecodeTransfer(this));

    /// <summary>Component <paramref name="index"/> of a structured value joined with commas, or "" when absent.</summary>
    public string GetComponent(int index)
    {
        var components = GetComponents();
        return index < components.Count ? string.Join(",", components[index]) : "";
    }

    /// <summary>
    /// The bytes of a binary value: inline base64 (<c>ENCODING=b</c> / <c>ENCODING=BASE64</c>) or a <c>data:</c> URI
    /// (4.0). Null for a URI that points elsewhere, for text, or for bad base64.
    /// </summary>
    public VCardBinary? GetBinary() => VCardEncodings.DecodeBinary(this);

    /// <summary>A text property: <paramref name="text"/> is escaped for the wire.</summary>
    public static VCardProperty Text(string name, string text, params IReadOnlyList<VCardParameter> parameters) =>
        new(null, name, parameters, VCardEscaping.Escape(text));

    /// <summary>A structured property (N, ADR…) from its components, each a list of values.</summary>
    public static VCardProperty Structured(string name, IEnumerable<IEnumerable<string>> components, params IReadOnlyList<VCardParameter> parameters) =>
        new(null, name, parameters, VCardEscaping.JoinStructured(components));

    /// <summary>This property with another raw (already escaped) value.</summary>
    public VCardProperty WithRawValue(string rawValue) => new(Group, Name, Parameters, rawValue);

    /// <summary>This property with other parameters.</summary>
    public VCardProperty WithParameters(IEnumerable<VCardParameter> parameters) => new(Group, Name, [.. parameters], RawValue);

    /// <summary>This property under another name (group and parameters kept).</summary>
    public VCardProperty WithName(string name) => new(Group, name, Parameters, RawValue);

    /// <summary>This property in another group (null: none).</summary>
    public VCardProperty WithGroup(string? group) => new(group, Name, Parameters, RawValue);

    /// <summary>The property as one unfolded content line, for diagnostics.</summary>
    public override string ToString() => VCardWriter.FormatLine(this);
}
