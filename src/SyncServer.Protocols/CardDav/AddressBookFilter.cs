using SyncServer.Protocols.VCard;

namespace SyncServer.Protocols.CardDav;

/// <summary>The test attribute of filter and prop-filter: <c>anyof</c> (the default) or <c>allof</c>.</summary>
public enum CardFilterTest
{
    /// <summary>At least one of the children matches.</summary>
    AnyOf,

    /// <summary>Every child matches.</summary>
    AllOf,
}

/// <summary>
/// A CARDDAV:param-filter (RFC 6352 §10.5.2): the parameter is defined (no child), is not defined
/// (<see cref="IsNotDefined"/>), or has a value satisfying <see cref="TextMatch"/>.
/// </summary>
public sealed record CardParamFilter(string Name, bool IsNotDefined = false, CardTextMatch? TextMatch = null)
{
    /// <summary>Whether <paramref name="property"/> satisfies this param-filter.</summary>
    public bool Matches(VCardProperty property)
    {
        var values = property.GetParameterValues(Name);
        var defined = property.Parameters.Any(p => p.Is(Name));
        if (IsNotDefined)
            return !defined;
        if (TextMatch is null)
            return defined;
        return values.Any(TextMatch.Matches);
    }
}

/// <summary>
/// A CARDDAV:prop-filter (RFC 6352 §10.5.1). With <see cref="IsNotDefined"/> it matches a card without the
/// property; with no text-match and no param-filter, a card with it; otherwise a card with at least one instance
/// of the property for which <see cref="Test"/> over the text-matches (against the value as text) and the
/// param-filters holds. <see cref="Name"/> is a property name (any group), or <c>group.NAME</c>.
/// </summary>
public sealed record CardPropFilter(
    string Name,
    CardFilterTest Test,
    bool IsNotDefined,
    IReadOnlyList<CardTextMatch> TextMatches,
    IReadOnlyList<CardParamFilter> ParamFilters)
{
    /// <summary>Whether <paramref name="card"/> satisfies this prop-filter.</summary>
    public bool Matches(VCard.VCard card)
    {
        var instances = card.Properties.Where(IsNamed).ToList();
        if (IsNotDefined)
            return instances.Count == 0;
        if (TextMatches.Count == 0 && ParamFilters.Count == 0)
            return instances.Count > 0;
        return instances.Any(InstanceMatches);
    }

    private bool InstanceMatches(VCardProperty property)
    {
        var text = property.GetText();
        var results = TextMatches.Select(t => t.Matches(text)).Concat(ParamFilters.Select(p => p.Matches(property)));
        return Test == CardFilterTest.AllOf ? results.All(r => r) : results.Any(r => r);
    }

    private bool IsNamed(VCardProperty property)
    {
        var dot = Name.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
            return property.Is(Name);
        return property.Is(Name[(dot + 1)..]) && string.Equals(property.Group, Name[..dot], StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>
/// The CARDDAV:filter of an addressbook-query REPORT (RFC 6352 §8.6, §10.5): a card matches when any (or, with
/// <c>test="allof"</c>, every) prop-filter matches; a filter without prop-filters matches every card.
/// Read one with <see cref="AddressBookFilterParser.TryParse"/>.
/// </summary>
public sealed record AddressBookFilter(CardFilterTest Test, IReadOnlyList<CardPropFilter> PropFilters)
{
    /// <summary>The empty filter: every card matches.</summary>
    public static readonly AddressBookFilter All = new(CardFilterTest.AnyOf, []);

    /// <summary>Whether <paramref name="card"/> satisfies the filter.</summary>
    public bool Matches(VCard.VCard card)
    {
        if (PropFilters.Count == 0)
            return true;
        return Test == CardFilterTest.AllOf ? PropFilters.All(f => f.Matches(card)) : PropFilters.Any(f => f.Matches(card));
    }
}
